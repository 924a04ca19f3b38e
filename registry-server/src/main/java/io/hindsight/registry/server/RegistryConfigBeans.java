package io.hindsight.registry.server;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * Beans that Apicurio's {@code apicurio-common-app-components-config-index} Quarkus extension would
 * generate at build time. That extension's deployment module is not published, so it is excluded
 * and this class stands in for it.
 */
@ApplicationScoped
class RegistryConfigBeans {

  /**
   * The list of configuration properties that may be changed at run time through the admin API.
   * Empty: this registry is configured at start-up only.
   */
  @Produces
  @ApplicationScoped
  DynamicConfigPropertyList dynamicConfigProperties() {
    return new DynamicConfigPropertyList(List.of());
  }
}
