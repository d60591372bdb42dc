package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which JDK {@code bin/borges} runs on: the newest 17 or later among {@code JAVA_HOME},
 * {@code /usr/lib/jvm/*} and the {@code java} on the PATH, read from each JDK's {@code release} file.
 * A stand-in JDK whose {@code bin/java} only says it was called shows the choice.
 */
class LauncherIT {

    @Test
    void runsOnTheNewestJdkFromItsReleaseFile(@TempDir Path dir) throws IOException {
        BorgesProcess.Result result = versionWithJavaHome(standInJdk(dir.resolve("jdk-99"), "99.0.1"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as("the stand-in JDK 99 ran").startsWith("stand-in java:")
            .contains(" dev.borges.cli.Borges --version");
    }

    @Test
    void passesOverAJdkOlderThanSeventeen(@TempDir Path dir) throws IOException {
        BorgesProcess.Result result = versionWithJavaHome(standInJdk(dir.resolve("jdk-11"), "11.0.2"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).startsWith("borges 0.");
    }

    /** {@code bin/borges --version} with {@code JAVA_HOME} set to {@code javaHome}. */
    private static BorgesProcess.Result versionWithJavaHome(Path javaHome) {
        return BorgesProcess.launcher(BorgesProcess.home().resolve("bin/borges")).withEnv("JAVA_HOME", javaHome.toString())
            .run("--version");
    }

    /** A directory that looks like a JDK of {@code version}: a release file and a bin/java that echoes its arguments. */
    private static Path standInJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"stand-in\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\necho \"stand-in java: $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
