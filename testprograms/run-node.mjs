#!/usr/bin/env node
// Runs a wasm32-wasi (preview1) program under Node's node:wasi, as a
// reference to compare ForgeOne's behaviour with. Node 20 or newer.
//
//   node run-node.mjs [options] PROGRAM.wasm [ARG...]
//
// Options (before PROGRAM.wasm):
//   --dir GUEST=HOST   preopen host directory HOST as guest path GUEST
//                      (repeatable; "--dir HOST" alone means HOST=HOST)
//   --env NAME=VALUE   add an environment variable (repeatable); the guest
//                      sees only these, never the host environment
//   --argv0 NAME       guest argv[0] (default: the file name, e.g. hello.wasm)
//   --timeout MS       stop the program after MS milliseconds (exit 124)
//   --invoke NAME      do not run _start: call export NAME with the ARGs
//                      parsed as i32 and print "NAME(...) = RESULT"
//   --max-memory MIB   cap the module's own memory at MIB MiB (patches the
//                      memory section's maximum), standing in for a host
//                      memory limit: memory.grow past it returns -1
//
// stdin, stdout and stderr are the real fds 0, 1 and 2 of this process.
// Exit code: the program's own (proc_exit(N) or 0 when _start returns),
// else one of these, which the test programs never use themselves:
//   124  --timeout expired
//   125  the module failed to compile, link or start (message on stderr,
//        prefixed "run-node: compile error:" / "link error:" / "error:")
//   134  the program trapped (stderr: "run-node: trap: <message>")
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';

// Synchronous writes straight to the fds: the worker's process.stdout is
// an asynchronous pipe through the main thread and could be lost on exit.
const err2 = (s) => writeSync(2, s);
const out1 = (s) => writeSync(1, s);

const EXIT_TIMEOUT = 124;
const EXIT_ERROR = 125;
const EXIT_TRAP = 134;

function usage(msg) {
  if (msg) err2(`run-node: ${msg}\n`);
  err2('usage: node run-node.mjs [--dir GUEST=HOST]... [--env K=V]... ' +
    '[--argv0 NAME] [--timeout MS] [--invoke EXPORT] [--max-memory MIB] PROGRAM.wasm [ARG...]\n');
  process.exit(EXIT_ERROR);
}

function parseArgs(argv) {
  const opts = { preopens: {}, env: {}, argv0: null, timeout: 0, invoke: null };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) break;
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--dir': {
        const v = val();
        const eq = v.indexOf('=');
        if (eq < 0) opts.preopens[v] = v;
        else opts.preopens[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--env': {
        const v = val();
        const eq = v.indexOf('=');
        if (eq < 0) usage(`--env needs NAME=VALUE, got '${v}'`);
        opts.env[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--argv0': opts.argv0 = val(); break;
      case '--timeout': opts.timeout = Number(val()); break;
      case '--invoke': opts.invoke = val(); break;
      case '--max-memory': opts.maxMemoryMiB = Number(val()); break;
      case '--': i++; break;
      default: usage(`unknown option ${a}`);
    }
    if (a === '--') break;
  }
  if (i >= argv.length) usage('no PROGRAM.wasm given');
  opts.file = argv[i];
  opts.args = argv.slice(i + 1);
  return opts;
}

// --- LEB128 helpers for --max-memory ---
function readU32(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return [result >>> 0, pos];
}
function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

// Returns a copy of the module whose memory section declares max = pages.
function capMemory(bytes, pages) {
  const out = [...bytes.subarray(0, 8)];
  let pos = 8, patched = false;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, start] = readU32(bytes, pos + 1);
    const end = start + size;
    if (id === 5) {
      let [count, p] = readU32(bytes, start);
      if (count !== 1) throw new Error(`--max-memory: ${count} memories`);
      const flags = bytes[p++];
      if (flags & 0x02) throw new Error('--max-memory: shared memory');
      let min;
      [min, p] = readU32(bytes, p);
      if (min > pages) throw new Error(`--max-memory: initial ${min} pages > ${pages}`);
      const body = [...u32(1), 0x01, ...u32(min), ...u32(pages)];
      out.push(5, ...u32(body.length), ...body);
      patched = true;
    } else {
      for (let i = pos; i < end; i++) out.push(bytes[i]);
    }
    pos = end;
  }
  if (!patched) throw new Error('--max-memory: the module defines no memory');
  return new Uint8Array(out);
}

if (isMainThread) {
  // Node 20's V8 crashes now and then (SIGSEGV while the GC walks the
  // stack) when wasm calls node:wasi through "fast API calls" while memory
  // grows past 2 GiB (seen with membomb.wasm). Plain calls avoid it.
  v8.setFlagsFromString('--no-turbo-fast-api-calls');
  const opts = parseArgs(process.argv.slice(2));
  // The program runs in a worker so that a --timeout can stop an endless
  // loop; WASI output still goes straight to this process's fds 1 and 2.
  const worker = new Worker(fileURLToPath(import.meta.url), {
    workerData: opts,
    // Keep the worker's JS stdio away from process.stdout/stderr: touching
    // those makes libuv switch a pipe on fd 1/2 to non-blocking mode, and
    // the guest's direct writes would then fail with EAGAIN.
    stdout: true,
    stderr: true,
    stdin: false,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  let done = false;
  let timer = null;
  if (opts.timeout > 0) {
    timer = setTimeout(() => {
      if (done) return;
      done = true;
      err2(`run-node: timeout after ${opts.timeout} ms\n`);
      worker.terminate().finally(() => process.exit(EXIT_TIMEOUT));
    }, opts.timeout);
  }
  worker.on('message', (code) => {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    process.exitCode = code;
    worker.terminate();
  });
  worker.on('error', (err) => {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    err2(`run-node: error: ${err && err.stack || err}\n`);
    process.exit(EXIT_ERROR);
  });
  // proc_exit(N) ends the worker thread with exit code N (see below).
  worker.on('exit', (code) => {
    if (done) return;
    done = true;
    if (timer) clearTimeout(timer);
    process.exitCode = code;
  });
} else {
  // Silence Node's "WASI is an experimental feature" warning only.
  const emit = process.emitWarning;
  process.emitWarning = function (w, ...rest) {
    if (String(w && w.message || w).includes('WASI')) return;
    return emit.call(process, w, ...rest);
  };
  const { WASI } = await import('node:wasi');
  const opts = workerData;
  const finish = (code) => parentPort.postMessage(code);

  let module;
  try {
    let bytes = new Uint8Array(readFileSync(opts.file));
    if (opts.maxMemoryMiB) bytes = capMemory(bytes, Math.floor(opts.maxMemoryMiB * 16));
    module = await WebAssembly.compile(bytes);
  } catch (err) {
    err2(`run-node: compile error: ${err.message}\n`);
    finish(EXIT_ERROR);
  }
  if (module) {
    const wasi = new WASI({
      version: 'preview1',
      args: [opts.argv0 ?? basename(opts.file), ...opts.args],
      env: opts.env,
      preopens: opts.preopens,
      // returnOnExit: true makes proc_exit throw through the wasm frames,
      // and Node 20's V8 can crash (SIGSEGV in the exception unwinder) doing
      // that after a long run such as membomb.wasm. With false, proc_exit(N)
      // stops this worker thread with exit code N instead.
      returnOnExit: false,
    });
    let instance;
    try {
      instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    } catch (err) {
      err2(`run-node: link error: ${err.message}\n`);
      finish(EXIT_ERROR);
    }
    if (instance) {
      try {
        if (opts.invoke) {
          const fn = instance.exports[opts.invoke];
          if (typeof fn !== 'function') {
            err2(`run-node: error: no exported function '${opts.invoke}'\n`);
            finish(EXIT_ERROR);
          } else {
            const ints = opts.args.map((s) => Number.parseInt(s, 10) | 0);
            const result = fn(...ints);
            out1(`${opts.invoke}(${ints.join(', ')}) = ${result}\n`);
            finish(0);
          }
        } else if (typeof instance.exports._start !== 'function') {
          err2('run-node: error: module has no _start export (not a WASI command)\n');
          finish(EXIT_ERROR);
        } else {
          finish(wasi.start(instance));
        }
      } catch (err) {
        if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
          err2(`run-node: trap: ${err.constructor.name}: ${err.message}\n`);
          finish(EXIT_TRAP);
        } else {
          err2(`run-node: error: ${err && err.stack || err}\n`);
          finish(EXIT_ERROR);
        }
      }
    }
  }
}
