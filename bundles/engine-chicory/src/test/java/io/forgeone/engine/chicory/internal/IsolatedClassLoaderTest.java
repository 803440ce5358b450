package io.forgeone.engine.chicory.internal;

import static io.forgeone.engine.chicory.internal.TestModules.LIMITS;
import static io.forgeone.engine.chicory.internal.TestModules.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import io.forgeone.api.engine.CompiledModule;
import io.forgeone.api.engine.ExecutionMode;
import io.forgeone.api.engine.HostFunction;
import io.forgeone.api.engine.ValueType;
import io.forgeone.api.engine.WasmEngine;
import io.forgeone.api.engine.WasmInstance;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.InstructionAdapter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.util.CheckClassAdapter;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;

/**
 * The class-loading situation of an OSGi framework without one: the engine, Chicory and ASM loaded by a loader of
 * their own (like this bundle's), seeing the API and SLF4J through their "imports" and the JDK through the boot
 * loader, with a thread context class loader that sees nothing but {@code java.*}. The compiler must still compile
 * (the engine must not quietly fall back to the interpreter), and the generated classes must link against the
 * engine's own Chicory classes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IsolatedClassLoaderTest {

    /** Sees only {@code java.*}, like a bundle's loader in a framework without boot delegation of JDK internals. */
    private static final class JavaOnlyLoader extends ClassLoader {
        JavaOnlyLoader() {
            super("java-only", null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("java.")) {
                return super.loadClass(name, resolve);
            }
            throw new ClassNotFoundException(name + " is not visible to " + getName());
        }
    }

    /** A bundle: its own content first, the "imported" packages from the test's loader, the JDK from boot. */
    private static final class BundleLikeLoader extends URLClassLoader {
        private final ClassLoader imports;

        BundleLikeLoader(URL[] content, ClassLoader imports) {
            super("engine-chicory-bundle", content, null);
            this.imports = imports;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.forgeone.api.") || name.startsWith("org.slf4j.") || name.startsWith("org.osgi.")) {
                return imports.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    /** This module's classes with Chicory and ASM, wherever the build put them (target/classes or the jars). */
    private static URL[] bundleContent() {
        Set<URL> content = new LinkedHashSet<>();
        for (Class<?> type : List.of(ChicoryEngine.class, Parser.class, Instance.class, MachineFactoryCompiler.class,
                ClassReader.class, InstructionAdapter.class, ClassNode.class, Analyzer.class,
                CheckClassAdapter.class)) {
            content.add(type.getProtectionDomain().getCodeSource().getLocation());
        }
        return content.toArray(URL[]::new);
    }

    /**
     * The engine as DS makes it in {@code bundle}: the configuration has {@code compiledCacheDir} (or its default
     * when null) and every other attribute at its default; the framework has no forge.var.
     */
    private WasmEngine engine(ClassLoader bundle, Path compiledCacheDir) throws ReflectiveOperationException {
        Class<?> engineClass = bundle.loadClass(ChicoryEngine.class.getName());
        assertNotSame(ChicoryEngine.class, engineClass);
        Class<?> configType = bundle.loadClass(ChicoryEngineConfig.class.getName());
        Object config = Proxy.newProxyInstance(bundle, new Class<?>[] {configType},
                (proxy, method, args) -> method.getName().equals("compiled_cache_dir") && compiledCacheDir != null
                        ? compiledCacheDir.toString()
                        : method.getDefaultValue());
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
        return (WasmEngine) engineClass.getConstructor(configType, BundleContext.class).newInstance(config, context);
    }

    /** Compiles host.wasm and runs it, with a context class loader that sees only {@code java.*}. */
    private static CompiledModule compileAndRun(WasmEngine engine) {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        JavaOnlyLoader hostile = new JavaOnlyLoader();
        thread.setContextClassLoader(hostile);
        try {
            CompiledModule module = engine.compile(bytes("host.wasm"));
            assertEquals(ExecutionMode.COMPILED, module.mode(), module.modeNote());
            assertSame(hostile, thread.getContextClassLoader(), "context loader not restored");

            // the host function reads guest memory through the engine's view, loaded by the bundle-like loader
            HostFunction firstByte = TestModules.host("env", "reverse",
                    TestModules.signature(List.of(ValueType.I32, ValueType.I32), List.of(ValueType.I32)),
                    (memory, args) -> new long[] {memory.readByte(args[0])});
            try (WasmInstance instance = engine.instantiate(module, List.of(firstByte), LIMITS)) {
                assertArrayEquals(new long[] {'h' + 'h'}, instance.call("run"));
            }
            return module;
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    @Test
    void compilerWorksWhenChicoryHasItsOwnLoaderAndTheContextLoaderSeesNothing() throws Exception {
        try (BundleLikeLoader bundle = new BundleLikeLoader(bundleContent(), getClass().getClassLoader())) {
            assertSame(bundle, bundle.loadClass(Instance.class.getName()).getClassLoader());
            assertSame(Logger.class, bundle.loadClass(Logger.class.getName()));
            assertEquals("", compileAndRun(engine(bundle, null)).modeNote());
        }
    }

    @Test
    void classesFromTheDiskCacheLinkAgainstTheBundlesChicory(@TempDir Path dir) throws Exception {
        try (BundleLikeLoader bundle = new BundleLikeLoader(bundleContent(), getClass().getClassLoader())) {
            assertEquals("", compileAndRun(engine(bundle, dir)).modeNote());
        }
        // a new "bundle" (as after a restart) with a fresh engine: the classes come from the disk
        try (BundleLikeLoader bundle = new BundleLikeLoader(bundleContent(), getClass().getClassLoader())) {
            assertEquals(ModuleCompiler.FROM_DISK, compileAndRun(engine(bundle, dir)).modeNote());
        }
    }

    @Test
    void compilerIgnoresAContextLoaderThatSeesNothing() {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        JavaOnlyLoader hostile = new JavaOnlyLoader();
        thread.setContextClassLoader(hostile);
        try {
            CompiledModule module = TestModules.engine(true).compile(bytes("add.wasm"));
            assertEquals(ExecutionMode.COMPILED, module.mode(), module.modeNote());
            assertSame(hostile, thread.getContextClassLoader());
        } finally {
            thread.setContextClassLoader(original);
        }
    }
}
