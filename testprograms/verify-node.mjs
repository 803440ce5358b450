#!/usr/bin/env node
// Checks every program in wasm/ against the behaviour documented in
// README.md, running it under Node's node:wasi through run-node.mjs.
//
//   node verify-node.mjs          all checks (about 10 s)
//   node verify-node.mjs --full   also membomb.wasm without a memory cap
//                                 (grows to 4 GiB; ~40 s, ~4.3 GB RSS)
//
// Prints one line per check and ends with "N passed, N failed"; exits 1
// if any check failed. Node is only the reference here: where Node's WASI
// is weaker than ForgeOne must be (escape.wasm through a symlink), the
// check asserts what Node does, and README.md says what ForgeOne must do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, symlinkSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, 'run-node.mjs');
const full = process.argv.includes('--full');

let passed = 0, failed = 0;

function run(opts, file, args = [], input = undefined) {
  const r = spawnSync(process.execPath, [runner, ...opts, join(here, 'wasm', file), ...args], {
    input, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', timeout: 120000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function check(name, r, expect) {
  const problems = [];
  if (expect.code !== undefined && r.code !== expect.code) problems.push(`exit ${r.code}, want ${expect.code}`);
  if (expect.out !== undefined && r.out !== expect.out) problems.push(`stdout ${JSON.stringify(r.out.slice(0, 300))}, want ${JSON.stringify(expect.out.slice(0, 300))}`);
  if (expect.err !== undefined && r.err !== expect.err) problems.push(`stderr ${JSON.stringify(r.err.slice(0, 300))}, want ${JSON.stringify(expect.err.slice(0, 300))}`);
  if (expect.errMatch && !expect.errMatch.test(r.err)) problems.push(`stderr ${JSON.stringify(r.err.slice(0, 300))} !~ ${expect.errMatch}`);
  if (expect.outMatch && !expect.outMatch.test(r.out)) problems.push(`stdout ${JSON.stringify(r.out.slice(0, 300))} !~ ${expect.outMatch}`);
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${problems.join('; ')}`);
  }
}

const host = mkdtempSync(join(tmpdir(), 'forgeone-testprograms-'));
try {
  // Layout used by escape.wasm's default list and the file programs.
  const sandbox = join(host, 'sandbox');
  mkdirSync(join(sandbox, 'data', 'sub'), { recursive: true });
  mkdirSync(join(sandbox, 'empty'));
  writeFileSync(join(host, 'secret.txt'), 'TOP SECRET\n');
  writeFileSync(join(sandbox, 'data', 'input.txt'), 'line one\nline two\n');
  writeFileSync(join(sandbox, 'data', 'b.txt'), '12345');
  symlinkSync('/etc', join(sandbox, 'link_out'));
  symlinkSync('/etc/passwd', join(sandbox, 'abs_link'));
  const dot = ['--dir', `.=${sandbox}`];
  const data = ['--dir', `data=${join(sandbox, 'data')}`];

  // 1 hello
  check('hello: no args, empty env', run([], 'hello.wasm'),
    { code: 0, out: 'hello from wasm\narg[0]=hello.wasm\nenv count=0\n', err: '' });
  check('hello: args and GREETING', run(['--env', 'GREETING=hi there', '--env', 'OTHER=1'], 'hello.wasm', ['a', 'b c']),
    { code: 0, out: 'hello from wasm\narg[0]=hello.wasm\narg[1]=a\narg[2]=b c\nGREETING=hi there\nenv count=2\n', err: '' });

  // 2 cat
  check('cat: file via guest "data"', run(data, 'cat.wasm', ['data/input.txt']),
    { code: 0, out: 'line one\nline two\n', err: '' });
  check('cat: file via guest "/data" path', run(data, 'cat.wasm', ['/data/input.txt']),
    { code: 0, out: 'line one\nline two\n', err: '' });
  check('cat: missing file then good file', run(data, 'cat.wasm', ['data/nope.txt', 'data/input.txt']),
    { code: 1, out: 'line one\nline two\n', err: 'cat: data/nope.txt: No such file or directory\n' });
  check('cat: no matching preopen', run([], 'cat.wasm', ['data/input.txt']),
    { code: 1, out: '', err: 'cat: data/input.txt: Capabilities insufficient\n' });
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'x').toString();
  check('cat: stdin to stdout (3 MiB)', run([], 'cat.wasm', [], big), { code: 0, out: big, err: '' });
  check('cat: empty stdin', run([], 'cat.wasm', [], ''), { code: 0, out: '', err: '' });

  // 3 loop
  check('loop: prints then spins until the timeout', run(['--timeout', '1500'], 'loop.wasm'),
    { code: 124, out: 'looping\n', err: 'run-node: timeout after 1500 ms\n' });

  // 4 trap
  check('trap: unreachable', run([], 'trap.wasm'),
    { code: 134, out: 'about to trap\n', err: 'run-node: trap: RuntimeError: unreachable\n' });

  // 5 membomb
  check('membomb: 256 MiB cap -> exit 3', run(['--max-memory', '256'], 'membomb.wasm'),
    { code: 3, out: 'allocated 64 MiB\nallocated 128 MiB\nallocated 192 MiB\n', err: 'malloc failed after 255 MiB\n' });
  check('membomb: 1 MiB cap -> exit 3', run(['--max-memory', '1'], 'membomb.wasm'),
    { code: 3, out: '', err: 'malloc failed after 0 MiB\n' });
  if (full) {
    const lines = [];
    for (let n = 64; n <= 4032; n += 64) lines.push(`allocated ${n} MiB\n`);
    check('membomb: no cap (4 GiB wasm32 ceiling) -> exit 3', run([], 'membomb.wasm'),
      { code: 3, out: lines.join(''), err: 'malloc failed after 4095 MiB\n' });
  }

  // 6 escape
  check('escape: preopen "." (Node follows link_out -> /etc!)', run(dot, 'escape.wasm'), {
    code: 1,
    outMatch: new RegExp('^ESCAPE-BLOCKED \\.\\./secret\\.txt errno=Capabilities insufficient\n' +
      'ESCAPE-BLOCKED /etc/passwd errno=No such file or directory\n' +
      'ESCAPE-BLOCKED data/\\.\\./\\.\\./secret\\.txt errno=Capabilities insufficient\n' +
      'ESCAPE-SUCCEEDED link_out/passwd content=.*\n' +
      'ESCAPE-BLOCKED abs_link errno=No such file or directory\n' +
      'escape: 4 blocked, 1 succeeded\n$'),
    err: '',
  });
  check('escape: explicit paths, guest "data" preopen', run(data, 'escape.wasm',
    ['data/../secret.txt', 'data/../../secret.txt', '/etc/passwd', 'data/input.txt']), {
    code: 1,
    out: 'ESCAPE-BLOCKED data/../secret.txt errno=Capabilities insufficient\n' +
      'ESCAPE-BLOCKED data/../../secret.txt errno=Capabilities insufficient\n' +
      'ESCAPE-BLOCKED /etc/passwd errno=Capabilities insufficient\n' +
      'ESCAPE-SUCCEEDED data/input.txt content=line one\n' +
      'escape: 3 blocked, 1 succeeded\n',
    err: '',
  });

  // 7 exitcode
  check('exitcode: default 7', run([], 'exitcode.wasm'), { code: 7, out: '', err: '' });
  check('exitcode: 0 via proc_exit', run([], 'exitcode.wasm', ['0']), { code: 0, out: '', err: '' });
  check('exitcode: 42', run([], 'exitcode.wasm', ['42']), { code: 42, out: '', err: '' });
  check('exitcode: bad number', run([], 'exitcode.wasm', ['abc']), { code: 2, out: '', err: 'exitcode: bad number: abc\n' });

  // 8 flood
  let expected = '';
  for (let i = 1; i <= 200000; i++) expected += `line ${i} of flood\n`;
  const fl = run([], 'flood.wasm');
  check('flood: 200000 lines (4,088,895 bytes)', fl, { code: 0, out: expected, err: 'flood done\n' });
  check('flood: 3 lines', run([], 'flood.wasm', ['3']),
    { code: 0, out: 'line 1 of flood\nline 2 of flood\nline 3 of flood\n', err: 'flood done\n' });

  // 9 noentry
  check('noentry: no _start', run([], 'noentry.wasm'),
    { code: 125, out: '', err: 'run-node: error: module has no _start export (not a WASI command)\n' });
  check('noentry: add(2, 3)', run(['--invoke', 'add'], 'noentry.wasm', ['2', '3']),
    { code: 0, out: 'add(2, 3) = 5\n', err: '' });

  // 11 listdir
  check('listdir: data', run(dot, 'listdir.wasm', ['data']),
    { code: 0, out: 'b.txt\ninput.txt\nsub\n', err: '' });
  check('listdir: default "."', run(dot, 'listdir.wasm'),
    { code: 0, out: 'abs_link\ndata\nempty\nlink_out\n', err: '' });
  check('listdir: empty dir', run(dot, 'listdir.wasm', ['empty']), { code: 0, out: '', err: '' });
  check('listdir: missing', run(dot, 'listdir.wasm', ['nope']),
    { code: 1, out: '', err: 'listdir: nope: No such file or directory\n' });
  check('listdir: a file', run(dot, 'listdir.wasm', ['data/b.txt']),
    { code: 1, out: '', err: 'listdir: data/b.txt: Not a directory\n' });

  // 12 stat
  check('stat: file, dir, missing', run(dot, 'stat.wasm', ['data/b.txt', 'data/input.txt', 'nope']), {
    code: 1,
    out: 'data/b.txt type=file size=5\ndata/input.txt type=file size=18\nnope error=No such file or directory\n',
    err: '',
  });
  check('stat: dir', run(dot, 'stat.wasm', ['data']), { code: 0, outMatch: /^data type=dir size=\d+\n$/, err: '' });

  // 13 clockrand
  check('clockrand', run([], 'clockrand.wasm'), { code: 0, out: 'realtime ok\nmonotonic ok\nrandom ok\n', err: '' });

  // 14 writefile
  check('writefile: new file', run(dot, 'writefile.wasm', ['data/out.txt', 'hello file']),
    { code: 0, out: 'wrote 10 bytes to data/out.txt\n', err: '' });
  const written = readFileSync(join(sandbox, 'data', 'out.txt'), 'utf8');
  check('writefile: host sees the content', { code: 0, out: written, err: '' }, { out: 'hello file' });
  check('writefile: truncates', run(dot, 'writefile.wasm', ['data/out.txt', 'short']),
    { code: 0, out: 'wrote 5 bytes to data/out.txt\n', err: '' });
  check('writefile: host sees the truncated content',
    { code: 0, out: readFileSync(join(sandbox, 'data', 'out.txt'), 'utf8'), err: '' }, { out: 'short' });
  check('writefile: missing parent dir', run(dot, 'writefile.wasm', ['data/nodir/x.txt', 'x']),
    { code: 1, out: '', err: 'writefile: data/nodir/x.txt: open: No such file or directory\n' });
  check('writefile: outside the preopen', run(dot, 'writefile.wasm', ['../out.txt', 'x']),
    { code: 1, out: '', err: 'writefile: ../out.txt: open: Capabilities insufficient\n' });
  check('writefile: nothing written outside', { code: existsSync(join(host, 'out.txt')) ? 1 : 0, out: '', err: '' }, { code: 0 });

  // 15 badimport
  check('badimport: link error', run([], 'badimport.wasm'),
    { code: 125, out: '', errMatch: /^run-node: link error: .*Import #0 module="env"/ });

  // 16 stackoverflow
  check('stackoverflow: call stack exhausted', run([], 'stackoverflow.wasm'),
    { code: 134, out: 'recursing\n', err: 'run-node: trap: RangeError: Maximum call stack size exceeded\n' });

  // 17 notwasm
  check('notwasm: rejected when decoding', run([], 'notwasm.wasm'),
    { code: 125, out: '', errMatch: /^run-node: compile error: .*expected magic word 00 61 73 6d/ });

  // 18 divzero
  check('divzero: integer divide by zero', run([], 'divzero.wasm'),
    { code: 134, out: 'about to divide by zero\n', err: 'run-node: trap: RuntimeError: divide by zero\n' });
} finally {
  rmSync(host, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
