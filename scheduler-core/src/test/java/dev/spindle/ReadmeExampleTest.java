package dev.spindle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The README's Java example compiles against this build and prints what it says it prints. */
class ReadmeExampleTest {

    @Test
    void readmeExampleCompilesAndRuns() throws Exception {
        Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
        String text = Files.readString(readme);
        int start = text.indexOf("```java\n");
        assertTrue(start >= 0, "README has a java example");
        String snippet = text.substring(start + 8, text.indexOf("```", start + 8));
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n")) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "public class ReadmeExample {\n"
                + "  public static void main(String[] args) throws Exception {\n" + body + "  }\n}\n";

        Path dir = Files.createTempDirectory("readme-example");
        Files.writeString(dir.resolve("ReadmeExample.java"), source);
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        String cp = System.getProperty("java.class.path");
        Result compiled = run(dir, bin.resolve("javac").toString(), "-cp", cp, "-d", dir.toString(),
                dir.resolve("ReadmeExample.java").toString());
        assertEquals(0, compiled.code, "README example does not compile:\n" + compiled.output + "\n" + source);
        // Run with no JVM option at all, as a user would.
        Result ran = run(dir, bin.resolve("java").toString(), "-cp", dir + java.io.File.pathSeparator + cp,
                "ReadmeExample");
        assertEquals(0, ran.code, ran.output);
        assertTrue(ran.output.contains("answer=42"), ran.output);
        assertFalse(ran.output.contains("WARNING"), "the example printed a warning:\n" + ran.output);
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TestSupport.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
