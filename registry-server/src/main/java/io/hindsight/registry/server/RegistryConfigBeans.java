package io.hindsight.registry.server;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * Stands in for the bean that Apicurio's config-index Quarkus extension would generate (its
 * deployment module is not on Maven Central): the registry has no dynamic configuration properties.
 */
@ApplicationScoped
public class RegistryConfigBeans {

  @Produces
  @ApplicationScoped
  DynamicConfigPropertyList dynamicConfigPropertyList() {
    return new DynamicConfigPropertyList(List.of());
  }
}
