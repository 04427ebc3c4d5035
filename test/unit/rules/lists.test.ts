// lists alone, and with destination-class: blocked prefixes, allow-listed destinations exempt from class rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, signalsOf } from '../engine/helpers.js';
import { listMatch } from '../../../src/rules/lists.js';

test('block list: E.164 prefixes against the normalised number, others against what was dialled', () => {
  const e = engineWith(only({ lists: { block: ['+4420', '0142'] } }));
  assert.deepEqual(signalsOf(dial(e, { called: '00442079460018' })), ['LIST_BLOCKED']);
  assert.deepEqual(signalsOf(dial(e, { called: '0142685300' })), ['LIST_BLOCKED']);
  assert.deepEqual(signalsOf(dial(e, { called: '0612345678' })), []);
  // Inbound, the caller is matched.
  const inbound = dial(e, {
    direction: 'inbound',
    caller: '+442079460018',
    callerExtension: undefined,
    called: '0142685300',
  });
  assert.equal(inbound.action, 'reject');
});

test('allow list: a supplier on a premium line passes; the longest entry wins', () => {
  const e = engineWith(only({ lists: { allow: ['+33899123456'] }, 'destination-class': {} }));
  const d = dial(e, { called: '0899123456' });
  assert.deepEqual([d.action, signalsOf(d)], ['allow', ['LIST_ALLOWED']]);
  assert.equal(dial(e, { called: '0899123457' }).action, 'reject');
  assert.equal(listMatch(['+33', '+3389'], '+33899123456', '0899123456'), '+3389');
  assert.equal(listMatch(['0899'], undefined, '0899123456'), '0899');
});

test('an entry that is no number is refused when the policy is read', () => {
  assert.throws(() => engineWith(only({ lists: { block: ['+44 20'] } })), /not a number or prefix/);
});
