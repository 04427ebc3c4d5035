// `tollguard check-pin` and `tollguard check-password` as a user or a script runs them (the compiled command, so run
// `npx tsc -p .` first; `npm test` does): exit 0 acceptable, 1 weak with every failing rule, 2 usage; --json shape;
// the password read from standard input with `-`.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';

interface JsonResult {
  ok: boolean;
  failures: { code: string; message: string }[];
}

/** Parses --json output and checks its exact shape: {ok, failures:[{code, message}]}. */
function parseJson(stdout: string): JsonResult {
  assert.ok(stdout.endsWith('\n') && stdout.indexOf('\n') === stdout.length - 1, 'one line of JSON');
  const r = JSON.parse(stdout) as JsonResult;
  assert.deepEqual(Object.keys(r), ['ok', 'failures']);
  assert.equal(typeof r.ok, 'boolean');
  assert.ok(Array.isArray(r.failures));
  for (const f of r.failures) {
    assert.deepEqual(Object.keys(f), ['code', 'message']);
    assert.match(f.code, /^(PIN|PW)_[A-Z_]+$/);
    assert.equal(typeof f.message, 'string');
  }
  assert.equal(r.ok, r.failures.length === 0);
  return r;
}

before(() => {
  const compiled = path.join(repoRoot, 'dist', 'src', 'cli', 'commands', 'check-credentials.js');
  assert.ok(existsSync(compiled), `${compiled} is missing: run npx tsc -p . first`);
});

describe('tollguard check-pin', () => {
  test('an acceptable PIN: exit 0 and "ok"', () => {
    const r = runCli(['check-pin', '5829', '--extension', '101']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ok: the PIN meets every requirement\n');
  });

  test('a weak PIN: exit 1 and the failing requirement in plain words', () => {
    const r = runCli(['check-pin', '1112', '--extension', '101']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'weak: the digit 1 occurs 3 times (at most 2)\n');
  });

  test('every failing requirement is printed, one a line', () => {
    const r = runCli(['check-pin', '0000']);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], 'weak: the digit 0 occurs 4 times (at most 2)');
    assert.match(lines[1]!, /^weak: the PIN is a well-known default or trivial code/);
  });

  test('--json: the codes of every failure, exit 1', () => {
    const r = runCli(['check-pin', '4711', '--extension', '4711', '--login', '4711', '--json']);
    assert.equal(r.status, 1);
    const j = parseJson(r.stdout);
    assert.deepEqual(
      j.failures.map((f) => f.code),
      ['PIN_EQUALS_EXTENSION', 'PIN_EQUALS_LOGIN'],
    );
  });

  test('--json on an acceptable PIN: {"ok":true,"failures":[]}, exit 0', () => {
    const r = runCli(['check-pin', '730158', '--json']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '{"ok":true,"failures":[]}\n');
  });

  test('a PIN that is too short and not digits gets both codes', () => {
    const r = runCli(['check-pin', '12a', '--json']);
    assert.equal(r.status, 1);
    assert.deepEqual(
      parseJson(r.stdout).failures.map((f) => f.code),
      ['PIN_NOT_DIGITS', 'PIN_TOO_SHORT'],
    );
  });

  test('usage errors exit 2: no PIN, two PINs, an unknown option, --extension without a value', () => {
    for (const args of [
      ['check-pin'],
      ['check-pin', '1234', '5678'],
      ['check-pin', '--bogus', '5829'],
      ['check-pin', '5829', '--extension'],
    ]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.notEqual(r.stderr, '');
    }
  });
});

describe('tollguard check-password', () => {
  test('an acceptable password: exit 0', () => {
    const r = runCli(['check-password', 'zutAnacHe8ewuWr', '--login', 'alice']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ok: the password meets every requirement\n');
  });

  test('a weak password: exit 1 and every failing requirement', () => {
    const r = runCli(['check-password', 'alice', '--login', 'Alice']);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(
      lines.every((l) => l.startsWith('weak: ')),
      r.stdout,
    );
    assert.deepEqual(lines.slice(0, 4), [
      'weak: the password has 5 characters (at least 8)',
      'weak: the password has no upper-case letter',
      'weak: the password has no digit',
      'weak: the password is the login (ignoring case)',
    ]);
    assert.match(lines[4]!, /too close to "alice" from the list of first names/);
  });

  test('--json names the common word and the list', () => {
    const r = runCli(['check-password', 'Yealink2023', '--json']);
    assert.equal(r.status, 1);
    const j = parseJson(r.stdout);
    assert.deepEqual(
      j.failures.map((f) => f.code),
      ['PW_NEAR_COMMON_WORD'],
    );
    assert.match(j.failures[0]!.message, /"yealink" from the list of brands and telephony vendors/);
  });

  test('- reads the password from the first line of standard input', () => {
    const weak = runCli(['check-password', '-', '--login', 'bob', '--json'], { input: 'Password1!\nignored\n' });
    assert.equal(weak.status, 1);
    assert.deepEqual(
      parseJson(weak.stdout).failures.map((f) => f.code),
      ['PW_NEAR_COMMON_WORD'],
    );
    const good = runCli(['check-password', '-'], { input: 'zutAnacHe8ewuWr\r\n' });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    const noNewline = runCli(['check-password', '-', '--json'], { input: 'Xk9#mQ2zLp' });
    assert.equal(noNewline.status, 0);
  });

  test('- with nothing on standard input is a usage error, exit 2', () => {
    const r = runCli(['check-password', '-'], { input: '' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nothing was read on standard input/);
  });

  test('a password starting with - goes after --', () => {
    const r = runCli(['check-password', '--json', '--', '-Xk9#mQ2zLp']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  test('usage errors exit 2: no password, an unknown option', () => {
    assert.equal(runCli(['check-password']).status, 2);
    assert.equal(runCli(['check-password', 'x', '--extension', '1']).status, 2);
  });

  test('--help explains - and standard input; the main help lists both commands', () => {
    const h = runCli(['check-password', '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /standard input/);
    const main = runCli(['--help']);
    assert.match(main.stdout, /^ {2}check-pin\b/m);
    assert.match(main.stdout, /^ {2}check-password\b/m);
  });
});
