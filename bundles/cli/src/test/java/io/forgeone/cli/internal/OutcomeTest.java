package io.forgeone.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forgeone.api.container.ContainerInfo;
import io.forgeone.api.container.ContainerLimits;
import io.forgeone.api.container.ContainerState;
import io.forgeone.api.container.StopReason;
import io.forgeone.api.pkg.PackageException;
import io.forgeone.api.pkg.VerificationMode;
import io.forgeone.api.pkg.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeTest {

    private static ContainerInfo stopped(StopReason reason, Integer code, String message) {
        return new ContainerInfo("id", "name", ContainerState.STOPPED, "hello.wasm", "00", List.of("hello.wasm"),
                "chicory", "COMPILED", "", ContainerLimits.DEFAULT, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH,
                code, reason, message, 0, 0);
    }

    private static Outcome of(StopReason reason, Integer code, String message) {
        return Outcome.of(stopped(reason, code, message), "hello.wasm", Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "3", "42", "255"})
    void exitedPassesTheGuestsCodeAndSaysNothing(int code) {
        Outcome o = of(StopReason.EXITED, code, "");
        assertEquals(code, o.exitCode());
        assertNull(o.message());
    }

    @Test
    void exitedWithoutACodeIsSuccess() {
        assertEquals(0, of(StopReason.EXITED, null, "").exitCode());
    }

    @Test
    void trapIs134AndNamesTheTrapAndTheFile() {
        Outcome o = of(StopReason.TRAPPED, 134, "unreachable");
        assertEquals(134, o.exitCode());
        assertEquals("forge: error: wasm trap: unreachable (hello.wasm)", o.message());
    }

    @Test
    void trapMessageThatAlreadySaysWasmTrapIsNotDoubled() {
        assertEquals("forge: error: wasm trap: integer divide by zero (hello.wasm)",
                of(StopReason.TRAPPED, 134, "wasm trap: integer divide by zero").message());
    }

    @Test
    void trapWithoutMessageStillSaysTrap() {
        assertEquals("forge: error: wasm trap: unknown trap (hello.wasm)", of(StopReason.TRAPPED, 134, "").message());
    }

    @Test
    void timeoutIs124AndUsesTheRuntimesMessage() {
        Outcome o = of(StopReason.TIMED_OUT, 124, "timed out after 2s");
        assertEquals(124, o.exitCode());
        assertEquals("forge: error: timed out after 2s", o.message());
    }

    @Test
    void timeoutWithoutMessageNamesTheLimit() {
        assertEquals("forge: error: timed out after 30s", of(StopReason.TIMED_OUT, 124, "").message());
    }

    @Test
    void killedIs137() {
        Outcome o = of(StopReason.KILLED, 137, "killed");
        assertEquals(137, o.exitCode());
        assertEquals("forge: error: killed", o.message());
        assertEquals("forge: error: killed (node stopping)", of(StopReason.KILLED, 137, "node stopping").message());
    }

    @Test
    void removedIs143WithWhatWasRemoved() {
        Outcome o = of(StopReason.REMOVED, 143, "provider forge:kv removed");
        assertEquals(143, o.exitCode());
        assertEquals("forge: error: provider forge:kv removed", o.message());
    }

    @Test
    void failedIs1WithTheReason() {
        Outcome o = of(StopReason.FAILED, 1, "host failure: java.lang.IllegalStateException");
        assertEquals(1, o.exitCode());
        assertEquals("forge: error: host failure: java.lang.IllegalStateException", o.message());
        assertEquals("forge: error: the container failed", of(StopReason.FAILED, 1, "").message());
    }

    @Test
    void exitCodesIgnoreWhatTheRuntimeReportsForNonExits() {
        // the mapping is forge's contract with the shell, whatever number the runtime put in the record
        assertEquals(134, of(StopReason.TRAPPED, 1, "x").exitCode());
        assertEquals(124, of(StopReason.TIMED_OUT, 1, "").exitCode());
        assertEquals(137, of(StopReason.KILLED, 1, "").exitCode());
    }

    @Test
    void notStoppedIsAFailure() {
        ContainerInfo running = stopped(null, null, "").withState(ContainerState.RUNNING);
        Outcome o = Outcome.of(running, "hello.wasm", Duration.ZERO);
        assertEquals(1, o.exitCode());
        assertEquals("forge: error: container name is still running", o.message());
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,1ms", "500,500ms", "1000,1s", "1500,1500ms", "30000,30s", "60000,1m", "90000,1m30s",
        "3600000,1h", "3723000,1h2m3s"})
    void durationsReadAsTyped(long millis, String text) {
        assertEquals(text, Outcome.formatDuration(Duration.ofMillis(millis)));
    }

    @ParameterizedTest
    @CsvSource({"1,64KiB", "16,1MiB", "1024,64MiB", "4096,256MiB", "16384,1GiB", "65536,4GiB", "17,1088KiB"})
    void sizesReadAsTyped(int pages, String text) {
        assertEquals(text, Outcome.formatPages(pages));
    }

    @Test
    void everyPackageReasonHasItsOwnCodeFrom10To20InOrder() {
        PackageException.Reason[] reasons = PackageException.Reason.values();
        assertEquals(11, reasons.length, "a new reason needs a code, the help pages and this test");
        for (int i = 0; i < reasons.length; i++) {
            assertEquals(10 + i, Outcome.exitCode(reasons[i]), reasons[i].name());
        }
        assertEquals(10, Outcome.exitCode(PackageException.Reason.MALFORMED));
        assertEquals(15, Outcome.exitCode(PackageException.Reason.REVOKED_KEY));
        assertEquals(20, Outcome.exitCode(PackageException.Reason.IO));
    }

    @Test
    void theMainHelpPageListsTheSameCodes() {
        String main = HelpText.main();
        for (PackageException.Reason r : PackageException.Reason.values()) {
            assertTrue(main.matches("(?s).*\\s" + Outcome.exitCode(r) + " " + Outcome.label(r) + "\\s.*"),
                    r + " in\n" + main);
        }
        String run = HelpText.run(List.of());
        for (PackageException.Reason r : PackageException.Reason.values()) {
            assertTrue(run.contains(String.format("  %-5d %-15s ", Outcome.exitCode(r), Outcome.label(r))), run);
        }
    }

    @Test
    void aPackageExceptionIsOneLineWithTheFailedCheck() {
        VerificationReport report = new VerificationReport("ab".repeat(32), null, VerificationMode.ENFORCE,
                List.of(VerificationReport.Check.failed(VerificationReport.Check.NOT_REVOKED,
                        PackageException.Reason.REVOKED_KEY, "key 5c1d… was revoked: laptop\nstolen")),
                VerificationReport.Verdict.REJECTED, false);
        Outcome o = Outcome.of(new PackageException(PackageException.Reason.REVOKED_KEY, "app.forgepkg refused",
                report, null));
        assertEquals(15, o.exitCode());
        assertEquals("forge: error: app.forgepkg refused (not-revoked: key 5c1d… was revoked: laptop stolen)"
                + " [revoked-key]", o.message());
    }

    @Test
    void theCheckIsNotRepeatedWhenTheMessageSaysItAlready() {
        VerificationReport report = new VerificationReport("ab".repeat(32), null, VerificationMode.ENFORCE,
                List.of(VerificationReport.Check.failed(VerificationReport.Check.ENTRIES_PINNED,
                        PackageException.Reason.TAMPERED, "hello.wasm: SHA-256 differs")),
                VerificationReport.Verdict.REJECTED, false);
        Outcome o = Outcome.of(new PackageException(PackageException.Reason.TAMPERED,
                "app.forgepkg: hello.wasm: SHA-256 differs", report, null));
        assertEquals("forge: error: app.forgepkg: hello.wasm: SHA-256 differs [tampered]", o.message());
    }

    @Test
    void thePackageCauseIsFoundDownTheChain() {
        PackageException pe = new PackageException(PackageException.Reason.EXPIRED, "expired");
        assertSame(pe, Outcome.packageCause(new RuntimeException("a", new IllegalStateException("b", pe))));
        assertSame(pe, Outcome.packageCause(pe));
        assertNull(Outcome.packageCause(new RuntimeException("none")));
        assertNull(Outcome.packageCause(null));
    }
}
