// forwarded-call alone: the voicemail-forward hack, with the headers real PBXs write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, signalsOf } from '../engine/helpers.js';

const e = () => engineWith(only({ 'forwarded-call': {} }));

test('a forward (Diversion) to a premium or foreign number is refused; to a mobile it is information', () => {
  const diversion = ['<sip:201@192.0.2.10>;reason=unconditional;counter=1;privacy=off'];
  const premium = dial(e(), { called: '0899123456', diversion });
  assert.deepEqual([premium.action, signalsOf(premium)], ['reject', ['FWD_TO_COSTLY']]);
  assert.match(premium.signals[0]!.message, /forwarded call to premium \+33899123456 \(Diversion: <sip:201@/);
  assert.equal(dial(e(), { called: '00442079460018', diversion }).action, 'reject');
  const mobile = dial(e(), { called: '0612345678', diversion });
  assert.deepEqual([mobile.action, signalsOf(mobile)], ['allow', ['FWD_OUTBOUND']]);
});

test('History-Info with a retargeting entry is a forward; a lone entry is not', () => {
  const hi = ['<sip:0142685300@pbx;index=1>,<sip:0899123456@pbx?Reason=SIP%3Bcause%3D302>;index=1.1;mp=1'];
  assert.deepEqual(signalsOf(dial(e(), { called: '0899123456', historyInfo: hi })), ['FWD_TO_COSTLY']);
  assert.deepEqual(signalsOf(dial(e(), { called: '0899123456', historyInfo: ['<sip:0899123456@pbx>;index=1'] })), []);
});

test('a transfer (Referred-By) to a satellite number is refused', () => {
  const d = dial(e(), { called: '+881612345678', referredBy: '<sip:201@192.0.2.10>' });
  assert.deepEqual(signalsOf(d), ['TRANSFER_TO_COSTLY']);
});
