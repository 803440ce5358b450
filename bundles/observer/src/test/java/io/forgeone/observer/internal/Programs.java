package io.forgeone.observer.internal;

import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestExitException;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.gate.Decision;
import io.forgeone.api.gate.GateContext;
import io.forgeone.api.observe.CallRecording;
import io.forgeone.api.observe.RecordingContext;
import io.forgeone.api.wasi.OutputSink;
import io.forgeone.api.wasi.Preopen;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.engine.chicory.internal.ChicoryEngine;
import io.forgeone.engine.chicory.internal.ChicoryEngineConfig;
import io.forgeone.wasi.internal.WasiProviderComponent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.util.converter.Converters;

/**
 * For tests: runs the real test programs (testprograms/wasm) on the real engine and WASI, every host call handed
 * to an observer recording the way the kernel hands it (decided ALLOW, timed, its memory accesses captured).
 */
final class Programs {
    static final Path WASM = Path.of("../../testprograms/wasm");

    private Programs() {
    }

    static WasmEngine engine() {
        ChicoryEngineConfig config = Converters.standardConverter().convert(Map.of()).to(ChicoryEngineConfig.class);
        BundleContext none = (BundleContext) Proxy.newProxyInstance(Programs.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new ChicoryEngine(config, none);
    }

    static Path wasm(String name) {
        return WASM.resolve(name);
    }

    /** What a recorded run did. */
    record Run(int exitCode, String stdout, String containerId) {
    }

    static Run record(Observer observer, WasmEngine engine, String name, String container, List<String> args,
            List<Preopen> dirs) {
        Path module = wasm(name);
        byte[] wasm;
        try {
            wasm = Files.readAllBytes(module);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        OutputSink out = stdout::write;
        List<String> argv = new ArrayList<>();
        argv.add(name);
        argv.addAll(args);
        WasiEnvironment env = new WasiProviderComponent().create(new WasiConfig(argv, Map.of(), dirs, null, out,
                OutputSink.DISCARD));
        List<HostFunction> functions = env.hostFunctions();
        String id = Integer.toHexString(Objects.hash(container, System.nanoTime())) + "00000000";
        CallRecording recording = observer.open(new RecordingContext(new GateContext(id, container,
                Replayer.sha256(wasm), Map.of()), module.toString(), engine.name(), 256), functions);
        CapturingMemory capture = new CapturingMemory();
        List<HostFunction> recorded = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            recorded.add(new Recorded(i, functions.get(i), recording, capture));
        }
        int code;
        String outcome;
        try (WasmInstance instance = engine.instantiate(engine.compile(wasm), recorded, new InstanceLimits(256))) {
            instance.call("_start");
            code = 0;
            outcome = "EXITED";
        } catch (GuestExitException e) {
            code = e.exitCode();
            outcome = "EXITED";
        } finally {
            env.close();
        }
        recording.close(code, outcome);
        return new Run(code, stdout.toString(java.nio.charset.StandardCharsets.UTF_8), id);
    }

    /** A host function whose calls are recorded, as the kernel's gate wrapper records them. */
    private static final class Recorded implements HostFunction {
        private final int index;
        private final HostFunction target;
        private final CallRecording recording;
        private final CapturingMemory capture;

        Recorded(int index, HostFunction target, CallRecording recording, CapturingMemory capture) {
            this.index = index;
            this.target = target;
            this.recording = recording;
            this.capture = capture;
        }

        @Override
        public String module() {
            return target.module();
        }

        @Override
        public String name() {
            return target.name();
        }

        @Override
        public FunctionSignature signature() {
            return target.signature();
        }

        @Override
        public long[] call(GuestMemory memory, long[] args) {
            capture.begin(memory);
            long[] results;
            try {
                results = target.call(capture, args);
            } catch (RuntimeException e) {
                recording.record(index, args, Decision.ALLOW, null, e, capture);
                throw e;
            }
            recording.record(index, args, Decision.ALLOW, results, null, capture);
            return results;
        }
    }
}
