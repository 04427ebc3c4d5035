// Unpacking an uploaded configuration archive: what is written (files and folders only, links within the archive as
// copies), what refuses the archive (`..`, past a limit, not an archive), and finding the configuration inside.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { unpackArchive, safeEntryName, type UnpackLimits } from '../../../src/audit/archive.js';
import { auditArchive, findConfigRoot } from '../../../src/audit/from-archive.js';
import { tar, tarGz, zip, entriesOf, type ArchiveEntry } from '../../helpers/archive.js';
import { ASTERISK_FIXTURES, AS_OF, FREESWITCH_VANILLA } from './helpers.js';
import { audit } from '../../../src/audit/run.js';

function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-unpack-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const LINKED: ArchiveEntry[] = [
  { name: 'etc/asterisk', dir: true },
  { name: 'etc/asterisk/sip_additional.conf', data: '[201]\nsecret=x\n' },
  { name: 'etc/asterisk/sip.conf', symlink: 'sip_additional.conf' },
  { name: 'etc/asterisk/abs.conf', symlink: '/etc/asterisk/sip_additional.conf' },
  { name: 'etc/asterisk/chain.conf', symlink: 'sip.conf' },
  { name: 'etc/asterisk/hard.conf', hardlink: 'etc/asterisk/sip_additional.conf' },
  { name: 'etc/asterisk/passwd', symlink: '/etc/passwd' },
  { name: 'etc/asterisk/up.conf', symlink: '../../../../etc/shadow' },
  { name: 'etc/asterisk/modules', symlink: '/usr/lib/asterisk/modules' },
  { name: 'etc/asterisk/fifo', type: '6' },
];

describe('unpackArchive', () => {
  for (const [format, pack] of [
    ['tar.gz', tarGz],
    ['tar', tar],
    ['zip', zip],
  ] as const) {
    test(`${format}: files and folders written, links within the archive copied, links out skipped`, () =>
      withTmp(async (dir) => {
        const entries = format === 'zip' ? LINKED.filter((e) => !('hardlink' in e) && !('type' in e)) : LINKED;
        const r = await unpackArchive(pack(entries), dir);
        assert.equal(r.format, format);
        const conf = path.join(dir, 'etc', 'asterisk');
        for (const name of ['sip.conf', 'abs.conf', 'chain.conf', ...(format === 'zip' ? [] : ['hard.conf'])]) {
          const st = lstatSync(path.join(conf, name));
          assert.ok(st.isFile() && !st.isSymbolicLink(), `${name} is a plain file`);
          assert.equal(readFileSync(path.join(conf, name), 'utf8'), '[201]\nsecret=x\n');
        }
        for (const name of ['passwd', 'up.conf', 'modules', 'fifo'])
          assert.equal(existsSync(path.join(conf, name)), false);
        const skipped = r.skipped.map((s) => s.name).sort();
        assert.deepEqual(
          skipped,
          [
            'etc/asterisk/modules',
            'etc/asterisk/passwd',
            'etc/asterisk/up.conf',
            ...(format === 'zip' ? [] : ['etc/asterisk/fifo']),
          ].sort(),
        );
        assert.match(r.skipped.find((s) => s.name === 'etc/asterisk/passwd')!.why, /outside the archive/);
      }));

    test(`${format}: an entry with .. refuses the archive and writes nothing outside`, () =>
      withTmp(async (dir) => {
        const into = path.join(dir, 'into');
        mkdirSync(into);
        await assert.rejects(
          unpackArchive(
            pack([
              { name: 'ok.conf', data: 'x' },
              { name: 'a/../../evil.conf', data: 'x' },
            ]),
            into,
          ),
          { code: 'TG_ERR_ARCHIVE', message: /climbs out/ },
        );
        assert.equal(existsSync(path.join(dir, 'evil.conf')), false);
      }));
  }

  test('leading slashes are dropped as tar drops them; a drive letter or a NUL refuses', () => {
    assert.equal(safeEntryName('/etc/asterisk/sip.conf', 32), 'etc/asterisk/sip.conf');
    assert.equal(safeEntryName('./etc//asterisk/./x', 32), 'etc/asterisk/x');
    assert.equal(safeEntryName('./', 32), undefined);
    assert.equal(safeEntryName('a\\b.conf', 32), 'a/b.conf');
    assert.throws(() => safeEntryName('C:/x', 32), { code: 'TG_ERR_ARCHIVE' });
    assert.throws(() => safeEntryName('a\0b', 32), { code: 'TG_ERR_ARCHIVE' });
    assert.throws(() => safeEntryName('..', 32), { code: 'TG_ERR_ARCHIVE' });
    assert.throws(() => safeEntryName('a/'.repeat(33) + 'x', 32), { code: 'TG_ERR_ARCHIVE' });
  });

  const small: UnpackLimits = { maxEntries: 5, maxTotalBytes: 1000, maxFileBytes: 600, maxDepth: 4 };

  test('limits: entries, one file, the total, and a gzip bomb stopped while it inflates', () =>
    withTmp(async (dir) => {
      const many = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}`, data: 'x' }));
      await assert.rejects(unpackArchive(tarGz(many), dir, small), {
        code: 'TG_ERR_TOO_LARGE',
        message: /more than 5 entries/,
      });
      await assert.rejects(unpackArchive(zip(many), dir, small), { code: 'TG_ERR_TOO_LARGE' });
    })
      .then(() =>
        withTmp(async (dir) => {
          await assert.rejects(unpackArchive(tarGz([{ name: 'big', data: 'x'.repeat(700) }]), dir, small), {
            code: 'TG_ERR_TOO_LARGE',
            message: /big is larger than 600/,
          });
        }),
      )
      .then(() =>
        withTmp(async (dir) => {
          const two = [
            { name: 'a', data: 'x'.repeat(500) },
            { name: 'b', data: 'x'.repeat(501) },
          ];
          await assert.rejects(unpackArchive(tarGz(two), dir, small), {
            code: 'TG_ERR_TOO_LARGE',
            message: /more than 1000/,
          });
          await assert.rejects(unpackArchive(zip(two), dir, small), { code: 'TG_ERR_TOO_LARGE' });
        }),
      )
      .then(() =>
        withTmp(async (dir) => {
          // A tar header announcing a 64 MiB file, then 64 MiB of zeros, gzipped to a few hundred KB: refused at the
          // header, before a byte of it is kept.
          const header = tar([{ name: 'zero', data: Buffer.alloc(1) }]).subarray(0, 512);
          const big = Buffer.from(header);
          big.write((64 * 1024 * 1024).toString(8).padStart(11, '0') + '\0', 124, 'latin1');
          big.write('        ', 148, 'latin1');
          let sum = 0;
          for (const b of big) sum += b;
          big.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
          const gz = gzipSync(Buffer.concat([big, Buffer.alloc(64 * 1024 * 1024)]));
          assert.ok(gz.length < 200_000, 'the bomb is small');
          await assert.rejects(unpackArchive(gz, dir), { code: 'TG_ERR_TOO_LARGE', message: /zero is larger/ });
          // The same zeros as a zip entry that claims to be 1 byte: inflating stops at the limit.
          const z = zip([{ name: 'zero', data: Buffer.alloc(4 * 1024 * 1024) }]);
          const cd = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
          z.writeUInt32LE(1, cd + 24);
          await assert.rejects(unpackArchive(z, dir, { ...small, maxFileBytes: 1000 }), { code: 'TG_ERR_TOO_LARGE' });
        }),
      ));

  test('not an archive, a cut-short tar, a broken gzip: TG_ERR_ARCHIVE', () =>
    withTmp(async (dir) => {
      await assert.rejects(unpackArchive(Buffer.from('[general]\n'), dir), {
        code: 'TG_ERR_ARCHIVE',
        message: /not a/,
      });
      const t = tar([{ name: 'a', data: 'x'.repeat(2000) }]);
      await assert.rejects(unpackArchive(t.subarray(0, 1024), dir), { code: 'TG_ERR_ARCHIVE' });
      const gz = tarGz([{ name: 'a', data: 'x' }]);
      await assert.rejects(unpackArchive(gz.subarray(0, gz.length - 12), dir), { code: 'TG_ERR_ARCHIVE' });
    }));

  test('a file and a folder of the same name refuse the archive', () =>
    withTmp(async (dir) => {
      await assert.rejects(
        unpackArchive(
          tarGz([
            { name: 'a', data: 'x' },
            { name: 'a/b', data: 'y' },
          ]),
          dir,
        ),
        { code: 'TG_ERR_ARCHIVE' },
      );
    }));

  test('names longer than 100 bytes (pax) are read', () =>
    withTmp(async (dir) => {
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/sip.conf`;
      await unpackArchive(tarGz([{ name: long, data: 'x' }]), dir);
      assert.equal(readFileSync(path.join(dir, ...long.split('/')), 'utf8'), 'x');
    }));

  test('GNU tar and zip as people make them, links included', () =>
    withTmp(async (dir) => {
      const src = path.join(dir, 'src', 'etc', 'asterisk');
      mkdirSync(src, { recursive: true });
      writeFileSync(path.join(src, 'extensions_custom.conf'), '[from-internal-custom]\n');
      symlinkSync('extensions_custom.conf', path.join(src, 'extensions.conf'));
      symlinkSync('/etc/hostname', path.join(src, 'host'));
      const tgz = execFileSync('tar', ['-czf', '-', '-C', path.join(dir, 'src'), 'etc']);
      const out = path.join(dir, 'out');
      mkdirSync(out);
      const r = await unpackArchive(tgz, out);
      assert.equal(readFileSync(path.join(out, 'etc/asterisk/extensions.conf'), 'utf8'), '[from-internal-custom]\n');
      assert.deepEqual(
        r.skipped.map((s) => s.name),
        ['etc/asterisk/host'],
      );
      execFileSync('zip', ['-q', '-r', '-y', path.join(dir, 'conf.zip'), 'etc'], { cwd: path.join(dir, 'src') });
      const zipped = readFileSync(path.join(dir, 'conf.zip'));
      const out2 = path.join(dir, 'out2');
      mkdirSync(out2);
      const z = await unpackArchive(zipped, out2);
      assert.equal(z.format, 'zip');
      assert.ok(!lstatSync(path.join(out2, 'etc/asterisk/extensions.conf')).isSymbolicLink());
      assert.equal(readFileSync(path.join(out2, 'etc/asterisk/extensions.conf'), 'utf8'), '[from-internal-custom]\n');
    }));
});

describe('auditArchive', () => {
  test('finds the configuration inside and audits it as the folder audit does', async () => {
    const basic = audit('asterisk', ASTERISK_FIXTURES.basicPbx, { asOf: AS_OF });
    const r = await auditArchive(tarGz(entriesOf(ASTERISK_FIXTURES.basicPbx, 'etc/asterisk')), { asOf: AS_OF });
    assert.equal(r.result.pbx, 'asterisk');
    assert.equal(r.result.dir, 'etc/asterisk');
    assert.deepEqual(r.result.findings, basic.findings);
    assert.equal('model' in r.result, false);
    const fs = await auditArchive(zip(entriesOf(FREESWITCH_VANILLA, 'freeswitch')), { asOf: AS_OF });
    assert.equal(fs.result.pbx, 'freeswitch');
    assert.equal(fs.result.dir, 'freeswitch');
    assert.equal(fs.result.findings.length, audit('freeswitch', FREESWITCH_VANILLA, { asOf: AS_OF }).findings.length);
  });

  test('no configuration, or both kinds: a usage error naming ?pbx=', async () => {
    await assert.rejects(auditArchive(tarGz([{ name: 'notes.txt', data: 'x' }])), {
      code: 'TG_ERR_USAGE',
      message: /\?pbx=/,
    });
    const both = tarGz([
      { name: 'asterisk/sip.conf', data: '[general]\n' },
      { name: 'freeswitch/vars.xml', data: '<include/>\n' },
    ]);
    await assert.rejects(auditArchive(both), { code: 'TG_ERR_USAGE', message: /both/ });
    const r = await auditArchive(both, { pbx: 'freeswitch' });
    assert.equal(r.result.dir, 'freeswitch');
  });

  test('findConfigRoot with pbx given and no mark: the top, below single folders', () =>
    withTmp(async (dir) => {
      mkdirSync(path.join(dir, 'backup', 'conf'), { recursive: true });
      writeFileSync(path.join(dir, 'backup', 'conf', 'custom.conf'), '');
      assert.deepEqual(findConfigRoot(dir, 'asterisk'), { pbx: 'asterisk', dir: path.join(dir, 'backup', 'conf') });
    }));
});
