package io.forgeone.benchmarks.io;

import io.forgeone.benchmarks.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baseline of {@link WasiIoBenchmark}: the same file, read and written with plain Java NIO through a 64 KiB
 * heap buffer (a FileChannel per operation, as the guest opens the file per run).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class JavaIoBenchmark {

    private Path dir;
    private Path in;
    private Path out;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("forge-bench-nio");
        in = dir.resolve("in.bin");
        out = dir.resolve("out.bin");
        writeFile(in, WasiIoBenchmark.MIB, WasiIoBenchmark.BUFFER);
        if (readFile(in, WasiIoBenchmark.BUFFER) != WasiIoBenchmark.BYTES) {
            throw new IllegalStateException("read back fewer bytes than written to " + in);
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public long read() throws IOException {
        return readFile(in, WasiIoBenchmark.BUFFER);
    }

    @Benchmark
    public long write() throws IOException {
        return writeFile(out, WasiIoBenchmark.MIB, WasiIoBenchmark.BUFFER);
    }

    /** Creates or truncates {@code file} and writes {@code mib} MiB to it, {@code buffer} bytes per write. */
    static long writeFile(Path file, int mib, int buffer) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(buffer);
        for (int i = 0; i < buffer; i++) {
            bytes.put(i, (byte) i);
        }
        long chunks = mib * (1024L * 1024L / buffer);
        long written = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long c = 0; c < chunks; c++) {
                bytes.clear();
                while (bytes.hasRemaining()) {
                    written += channel.write(bytes);
                }
            }
        }
        return written;
    }

    /** Reads {@code file} to its end, {@code buffer} bytes per read, and returns the byte count. */
    static long readFile(Path file, int buffer) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(buffer);
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = channel.read(bytes.clear())) >= 0) {
                total += n;
            }
        }
        return total;
    }
}
