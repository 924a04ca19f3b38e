package io.hindsight.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared folder of real-world Kubernetes manifests ({@code testdata/}, see its README), which
 * lives next to the project checkout at {@code <hindsight.project.root>/../shared/testdata}.
 *
 * <p>The folder can be moved with the system property {@code hindsight.testdata} or the environment
 * variable {@code HINDSIGHT_TESTDATA}.
 */
public final class TestData {
  private TestData() {}

  /**
   * The file or folder at {@code relative} inside the test-data folder, e.g. {@code
   * path("sample-controller/crd.yaml")}.
   *
   * @throws IllegalStateException if it does not exist, naming where it was looked for
   */
  public static Path path(String relative) {
    Path root = root();
    Path path = root.resolve(relative).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("'" + relative + "' leaves the test-data folder " + root);
    }
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          "test data '"
              + relative
              + "' not found at "
              + path
              + " (test-data folder: "
              + root
              + "; set -Dhindsight.testdata=DIR or HINDSIGHT_TESTDATA to move it)");
    }
    return path;
  }

  /** The test-data folder itself. */
  public static Path root() {
    String explicit = System.getProperty("hindsight.testdata", System.getenv("HINDSIGHT_TESTDATA"));
    Path root;
    if (explicit != null && !explicit.isBlank()) {
      root = Path.of(explicit);
    } else {
      String projectRoot = System.getProperty("hindsight.project.root");
      if (projectRoot == null || projectRoot.isBlank()) {
        throw new IllegalStateException(
            "system property hindsight.project.root is not set (the parent pom sets it for"
                + " Surefire and Failsafe); set it, or -Dhindsight.testdata=DIR");
      }
      root = Path.of(projectRoot).resolve("../shared/testdata");
    }
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(
          "test-data folder "
              + root
              + " does not exist (expected the shared testdata folder beside the checkout; set"
              + " -Dhindsight.testdata=DIR or HINDSIGHT_TESTDATA)");
    }
    return root;
  }
}
