// Direction and legs from what the PBX wrote: channels, context, last application and numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LegReader, type CdrRecord } from '../../../src/adapters/cdr/index.js';
import { defaultPolicy } from '../../../src/engine/index.js';
import { tenantNumbering } from '../../../src/numbering/index.js';

const reader = new LegReader({ numbering: tenantNumbering(defaultPolicy('FR')), trunks: ['ovh*'] });

function rec(over: Partial<CdrRecord>): CdrRecord {
  return {
    line: 1,
    start: 0,
    end: 1000,
    duration: 1,
    billsec: 1,
    answered: true,
    src: '',
    dst: '',
    dcontext: '',
    clid: '',
    channel: '',
    dstchannel: '',
    lastapp: '',
    lastdata: '',
    disposition: 'ANSWERED',
    accountcode: '',
    userfield: '',
    linkedid: '',
    blegUuid: '',
    userAgent: '',
    sourceAddress: '',
    direction: '',
    ...over,
  };
}

const cases: Array<
  [string, Partial<CdrRecord>, { leg: string; called?: string; callerExtension?: string; why?: RegExp }]
> = [
  [
    'an extension to the trunk (PJSIP)',
    {
      src: '201',
      dst: '0612345678',
      channel: 'PJSIP/201-00000001',
      dstchannel: 'PJSIP/trunk-00000002',
      lastapp: 'Dial',
      lastdata: 'PJSIP/0612345678@trunk,60',
    },
    { leg: 'outbound', called: '0612345678', callerExtension: '201' },
  ],
  [
    'the number the Dial sent to the trunk, after the outside-line digit was taken off',
    {
      src: '201',
      dst: '00612345678',
      channel: 'SIP/201-0000000a',
      dstchannel: 'SIP/ovh-sip-0000000b',
      lastapp: 'Dial',
      lastdata: 'SIP/ovh-sip/0612345678,60',
    },
    { leg: 'outbound', called: '0612345678' },
  ],
  [
    'a trunk named by --trunk',
    { src: '201', dst: '0142685300', channel: 'SIP/201-0000000a', dstchannel: 'SIP/ovh-0000000b' },
    { leg: 'outbound', why: /extension to trunk/ },
  ],
  [
    'a DAHDI line is a trunk',
    { src: '201', dst: '0142685300', channel: 'SIP/201-0000000a', dstchannel: 'DAHDI/1-1' },
    { leg: 'outbound' },
  ],
  [
    'inbound: trunk channel answered by a phone',
    {
      src: '0612345678',
      dst: '0140506070',
      dcontext: 'from-trunk',
      channel: 'PJSIP/trunk-00000003',
      dstchannel: 'PJSIP/201-00000004',
      lastapp: 'Dial',
      lastdata: 'PJSIP/201,30',
    },
    { leg: 'inbound', called: '0140506070' },
  ],
  [
    'inbound to voicemail: no destination channel',
    {
      src: '0612345678',
      dst: '0140506070',
      dcontext: 'from-pstn',
      channel: 'DAHDI/i1/0612345678-1',
      lastapp: 'VoiceMail',
    },
    { leg: 'inbound' },
  ],
  [
    'internal: phone to phone',
    {
      src: '201',
      dst: '202',
      channel: 'PJSIP/201-00000001',
      dstchannel: 'PJSIP/202-00000002',
      lastapp: 'Dial',
      lastdata: 'PJSIP/202,30',
    },
    { leg: 'internal' },
  ],
  [
    'internal: the test-suite row (SIP/test to 100, Hangup)',
    { src: 'test', dst: '100', dcontext: 'context', channel: 'SIP/test-02897fd8', lastapp: 'Hangup' },
    { leg: 'internal' },
  ],
  [
    'trunk-to-trunk: lastapp DISA',
    {
      src: '0612345678',
      dst: 's',
      dcontext: 'disa',
      channel: 'PJSIP/trunk-00000005',
      lastapp: 'DISA',
      lastdata: 'no-password,from-internal',
    },
    { leg: 'trunk-to-trunk', why: /DISA/ },
  ],
  [
    'trunk-to-trunk: a trunk channel on both sides',
    {
      src: '0612345678',
      dst: '0140506070',
      dcontext: 'from-trunk',
      channel: 'PJSIP/trunk-00000005',
      dstchannel: 'PJSIP/trunk-00000006',
      lastapp: 'Dial',
      lastdata: 'PJSIP/00252611234567@trunk,60',
    },
    { leg: 'trunk-to-trunk', called: '00252611234567', why: /both sides/ },
  ],
  [
    'trunk-to-trunk: a forward through a Local channel with the outside caller',
    {
      src: '0612345678',
      dst: '0899123456',
      channel: 'Local/201@followme-0000001;2',
      dstchannel: 'PJSIP/trunk-00000007',
      lastapp: 'Dial',
    },
    { leg: 'trunk-to-trunk', why: /forward/ },
  ],
  [
    'trunk-to-trunk: an outbound call from a trunk context (no channel known)',
    {
      src: '0612345678',
      dst: '0140506070',
      dcontext: 'from-trunk',
      lastapp: 'Dial',
      lastdata: 'SIP/provider/0044207946001',
    },
    { leg: 'trunk-to-trunk', called: '0044207946001', why: /trunk context/ },
  ],
  [
    'FreeSWITCH: sofia internal to a gateway',
    {
      src: '1000',
      dst: '0612345678',
      channel: 'sofia/internal/1000@10.0.0.1',
      dstchannel: 'sofia/gateway/op/0612345678',
    },
    { leg: 'outbound', callerExtension: '1000' },
  ],
  [
    'FreeSWITCH example template: the public context is inbound',
    { src: '0612345678', dst: '0140506070', dcontext: 'public' },
    { leg: 'inbound' },
  ],
  [
    'FreeSWITCH example template: default context to an outside number',
    { src: '1000', dst: '0899123456', dcontext: 'default' },
    { leg: 'outbound', callerExtension: '1000' },
  ],
  [
    'FreeSWITCH example template: default context to an extension',
    { src: '1000', dst: '1001', dcontext: 'default' },
    { leg: 'internal' },
  ],
  ['a direction the file states wins', { src: '1000', dst: '1001', direction: 'outbound' }, { leg: 'outbound' }],
];

for (const [name, r, want] of cases) {
  test(name, () => {
    const v = reader.read(rec(r));
    assert.equal(v.leg, want.leg, v.why);
    if (want.called !== undefined) assert.equal(v.called, want.called);
    if (want.callerExtension !== undefined) assert.equal(v.callerExtension, want.callerExtension);
    if (want.why) assert.match(v.why, want.why);
  });
}

test('a trunk-to-trunk leg has no calling extension (the company did not place it)', () => {
  const v = reader.read(
    rec({ src: '0612345678', dst: '0140506070', channel: 'PJSIP/trunk-1', dstchannel: 'PJSIP/trunk-2' }),
  );
  assert.equal(v.callerExtension, undefined);
});

test('channels and Dial strings read once are read the same again, whatever their sequence number', () => {
  const r = new LegReader({ numbering: tenantNumbering(defaultPolicy('FR')), trunks: ['ovh*'] });
  /** A row by its channels and numbers, and the leg it must read as. */
  const call = (channel: string, dstchannel: string, src: string, dst: string, leg: string, more = {}) =>
    [{ channel, dstchannel, src, dst, ...more }, leg] as [Partial<CdrRecord>, string];
  const cases = [
    call('SIP/201-0000000a', 'SIP/ovh-0000000b', '201', '0612345678', 'outbound'),
    call('SIP/201-000000ff', 'SIP/202-00000100', '201', '202', 'internal'),
    call('SIP/ovh-00000101', 'SIP/201-00000102', '0612345678', '201', 'inbound'),
    // A Local channel's half (`;2`) and an IAX2 sequence are sequences too; a peer that merely ends in hex is not.
    call('Local/201@from-internal-0000001a;2', 'SIP/ovh-0000001b', '0612345678', '0899123456', 'trunk-to-trunk'),
    call('IAX2/ovh-7', 'IAX2/ovh-8', '0612345678', '0899123456', 'trunk-to-trunk'),
    call('SIP/cafe-0000001c', 'SIP/201-0000001d', '0612345678', '201', 'inbound'),
    // FreeSWITCH names carry no sequence: each is its own.
    call('sofia/internal/1001@pbx', 'sofia/external/0612345678@gw', '1001', '0612345678', 'outbound'),
    call('sofia/external/0612345678@gw', 'sofia/internal/1001@pbx', '0612345678', '1001', 'inbound'),
    call('SIP/201-0000001e', '', '201', '0899123456', 'outbound', {
      lastapp: 'Dial',
      lastdata: 'SIP/ovh/0899123456,60,tT',
    }),
    call('SIP/201-0000001f', '', '201', '202', 'internal', { lastapp: 'Dial', lastdata: 'SIP/202,20' }),
  ];
  // Twice over: the second time every channel and Dial string comes from what was kept.
  for (let round = 0; round < 2; round++) {
    for (const [over, leg] of cases) {
      const fresh = new LegReader({ numbering: tenantNumbering(defaultPolicy('FR')), trunks: ['ovh*'] }).read(
        rec(over),
      );
      const v = r.read(rec(over));
      assert.equal(v.leg, leg, `${over.channel} (round ${round})`);
      assert.deepEqual(v, fresh);
    }
  }
});
