package io.forgeone.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;

/** A terminal whose output the test reads back. */
final class Console {
    final ByteArrayInputStream stdin = new ByteArrayInputStream(new byte[0]);
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final Terminal terminal = new Terminal(stdin, stdout, stderr);

    String out() {
        return stdout.toString(Charset.defaultCharset());
    }

    String err() {
        return stderr.toString(Charset.defaultCharset());
    }
}
