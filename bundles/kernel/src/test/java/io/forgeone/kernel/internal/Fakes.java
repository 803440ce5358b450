package io.forgeone.kernel.internal;

import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.FunctionSignature;
import io.forgeone.api.engine.GuestMemory;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.InstanceLimits;
import io.forgeone.api.engine.ModuleFormatException;
import io.forgeone.api.engine.ModuleImport;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import io.forgeone.api.wasi.WasiConfig;
import io.forgeone.api.wasi.WasiEnvironment;
import io.forgeone.api.wasi.WasiProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Test doubles for the kernel's unit tests. A "module" is a text file: its content names a behaviour of the fake
 * engine's {@code _start} (see {@link FakeEngine}). Real engines and WASI are exercised by the itests.
 */
final class Fakes {
    static final FunctionSignature WRITE_SIG = FunctionSignature.of(List.of(ValueType.I32), List.of(ValueType.I32));

    private Fakes() {
    }

    /** Behaviours: "exit:N", "count:N", "return", "loop", "stuck", "trap", "print:TEXT", "reactor", "import:mod.name", "memory:N". */
    static final class FakeEngine implements WasmEngine {
        int compilations;
        /** What the kernel handed to the last instantiate: the only functions a guest could call. */
        volatile List<HostFunction> lastImports = List.of();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "fake engine for kernel tests";
        }

        @Override
        public CompiledModule compile(byte[] wasm) {
            compilations++;
            String behaviour = new String(wasm, StandardCharsets.UTF_8).trim();
            if (behaviour.startsWith("garbage")) {
                throw new ModuleFormatException("not a WebAssembly module: bad magic number");
            }
            return new FakeModule(behaviour);
        }

        @Override
        public WasmInstance instantiate(CompiledModule module, List<HostFunction> imports, InstanceLimits limits) {
            FakeModule m = (FakeModule) module;
            lastImports = List.copyOf(imports);
            HostFunction print = imports.stream().filter(f -> f.name().equals("print")).findFirst().orElseThrow();
            return new WasmInstance() {
                @Override
                public long[] call(String export, long... args) {
                    String b = m.behaviour;
                    if (b.startsWith("exit:")) {
                        throw new io.forgeone.api.engine.GuestExitException(Integer.parseInt(b.substring(5)));
                    }
                    if (b.equals("loop") || b.startsWith("useloop:")) {
                        while (!Thread.currentThread().isInterrupted()) {
                            Thread.onSpinWait();
                        }
                        throw new io.forgeone.api.engine.ExecutionInterruptedException("interrupted");
                    }
                    if (b.equals("stuck")) {
                        // like a guest blocked in a host read that ignores interruption
                        long end = System.nanoTime() + 5_000_000_000L;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        return new long[0];
                    }
                    if (b.equals("trap")) {
                        throw new io.forgeone.api.engine.TrapException("wasm trap: unreachable");
                    }
                    if (b.startsWith("spin:")) {
                        // computes for MS ms without a host call, then behaves as the rest says
                        String[] parts = b.split(":", 3);
                        long end = System.nanoTime() + Long.parseLong(parts[1]) * 1_000_000L;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                        b = parts[2];
                    }
                    if (b.startsWith("count:")) {
                        // N host calls 2 ms apart; exits with the errno of the first that fails
                        int n = Integer.parseInt(b.substring(6));
                        for (int i = 0; i < n; i++) {
                            long[] r = print.call(null, new long[] {i});
                            if (r[0] != 0) {
                                throw new io.forgeone.api.engine.GuestExitException((int) r[0]);
                            }
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                throw new io.forgeone.api.engine.ExecutionInterruptedException("interrupted");
                            }
                        }
                        return new long[0];
                    }
                    if (b.startsWith("print:")) {
                        long[] r = print.call(null, new long[] {b.length() - 6});
                        if (r[0] != 0) {
                            throw new io.forgeone.api.engine.GuestExitException((int) r[0]);
                        }
                    }
                    return new long[0];
                }

                @Override
                public GuestMemory memory() {
                    throw new IllegalStateException("fake instance has no memory");
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static final class FakeModule implements CompiledModule {
        final String behaviour;

        FakeModule(String behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public String sha256() {
            return "00".repeat(32);
        }

        @Override
        public String engine() {
            return "fake";
        }

        @Override
        public ExecutionMode mode() {
            return ExecutionMode.COMPILED;
        }

        @Override
        public String modeNote() {
            return "";
        }

        @Override
        public List<ModuleImport> functionImports() {
            if (behaviour.startsWith("import:") || behaviour.startsWith("useloop:")) {
                String[] parts = behaviour.substring(behaviour.indexOf(':') + 1).split("\\.");
                return List.of(new ModuleImport(parts[0], parts[1], WRITE_SIG));
            }
            return List.of(new ModuleImport("test", "print", WRITE_SIG));
        }

        @Override
        public List<String> otherImports() {
            return List.of();
        }

        @Override
        public Map<String, FunctionSignature> functionExports() {
            if (behaviour.equals("reactor")) {
                return Map.of("add", FunctionSignature.of(List.of(), List.of()));
            }
            return Map.of("_start", FunctionSignature.of(List.of(), List.of()));
        }

        @Override
        public int initialMemoryPages() {
            return behaviour.startsWith("memory:") ? Integer.parseInt(behaviour.substring(7)) : 1;
        }
    }

    /** A WASI provider with one function, test.print, that writes the module's text after "print:" to stdout. */
    static final class FakeWasi implements WasiProvider {
        /** The configuration of the last environment created. */
        volatile WasiConfig lastConfig;

        @Override
        public WasiEnvironment create(WasiConfig config) {
            lastConfig = config;
            for (var p : config.preopens()) {
                if (!Files.isDirectory(p.hostPath())) {
                    throw new IllegalArgumentException("--dir " + p.hostPath() + ": not a directory");
                }
            }
            HostFunction print = new HostFunction() {
                @Override
                public String module() {
                    return "test";
                }

                @Override
                public String name() {
                    return "print";
                }

                @Override
                public FunctionSignature signature() {
                    return WRITE_SIG;
                }

                @Override
                public long[] call(GuestMemory memory, long[] args) {
                    byte[] text = ("printed " + args[0] + "\n").getBytes(StandardCharsets.UTF_8);
                    config.stdout().write(text, 0, text.length);
                    return new long[] {0};
                }

                @Override
                public OptionalInt deniedErrno() {
                    return OptionalInt.of(76);
                }
            };
            return new WasiEnvironment() {
                @Override
                public List<HostFunction> hostFunctions() {
                    return List.of(print);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
