// The dialplan model (priorities, same =>, patterns and Asterisk's match order) and the walk from a context
// (Goto, GotoIf, Gosub, Macro, ExecIf, Dial(Local/…), variables, and which dialled digits the caller chose).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAsteriskDir } from '../../../src/audit/asterisk/load.js';
import { doc } from '../../../src/audit/asterisk/model.js';
import {
  buildDialplan,
  extensionRegExp,
  findExtension,
  parseApp,
  splitArgs,
  type Dialplan,
} from '../../../src/audit/asterisk/dialplan.js';
import { buildAsteriskModel } from '../../../src/audit/asterisk/index.js';
import { Walker, replaceVars, splitCondition } from '../../../src/audit/asterisk/reach.js';
import { withConfDir } from './helpers.js';

function dialplanOf(text: string): Dialplan {
  return withConfDir({ 'extensions.conf': text }, (dir) => buildDialplan(doc(loadAsteriskDir(dir), 'extensions')));
}

describe('extensions and priorities', () => {
  test('1, n, n(label), label+N, same =>, hint lines skipped, caller-id part kept apart', () => {
    const dp = dialplanOf(
      [
        '[ctx]',
        'exten => 100,hint,SIP/100',
        'exten => 100,1,Answer()',
        ' same => n(loop),Playback(hello)',
        ' same => n,Goto(loop)',
        'exten => 100,loop+10(far),NoOp(far)',
        'exten => 100,1+199(back),NoOp(back)',
        'exten => 200/5551234,1,Dial(SIP/200)',
        'exten => _X.,1,Dial,SIP/${EXTEN}',
      ].join('\n'),
    );
    const ctx = dp.contexts.get('ctx')!;
    const x100 = ctx.extensions.find((x) => x.name === '100')!;
    assert.deepEqual(
      x100.steps.map((s) => [s.priority, s.label ?? '', s.app, s.line]),
      [
        [1, '', 'Answer', 3],
        [2, 'loop', 'Playback', 4],
        [3, '', 'Goto', 5],
        [12, 'far', 'NoOp', 6],
        [200, 'back', 'NoOp', 7],
      ],
    );
    const cid = ctx.extensions.find((x) => x.exten === '200')!;
    assert.equal(cid.cid, '5551234');
    const old = ctx.extensions.find((x) => x.exten === '_X.')!;
    assert.deepEqual([old.steps[0]!.app, old.steps[0]!.args], ['Dial', 'SIP/${EXTEN}']);
  });

  test('application arguments: nesting, quotes, conditions', () => {
    assert.deepEqual(parseApp('Dial(SIP/${EXTEN},30,tT)'), { app: 'Dial', args: 'SIP/${EXTEN},30,tT' });
    assert.deepEqual(splitArgs('a,${CUT(X,\\,,2)},$[1,2],"q,r"'), ['a', '${CUT(X,\\,,2)}', '$[1,2]', '"q,r"']);
    assert.deepEqual(splitCondition('$["${X}" = "a:b"]?ctx,s,1:other,s,1'), {
      cond: '$["${X}" = "a:b"]',
      yes: 'ctx,s,1',
      no: 'other,s,1',
    });
  });

  test('patterns match as in Asterisk (X Z N [..] . ! and ignored dashes)', () => {
    const m = (p: string, s: string) => extensionRegExp(p).test(s);
    assert.ok(m('_X.', '12'));
    assert.ok(!m('_X.', '1'), '. needs at least one more character');
    assert.ok(m('_X!', '1'));
    assert.ok(m('_NXXNXXXXXX', '2125550100'));
    assert.ok(!m('_NXXNXXXXXX', '1125550100'));
    assert.ok(m('_1-NXX-NXX-XXXX', '12125550100'));
    assert.ok(m('_[1-35]XX', '599'));
    assert.ok(!m('_[1-35]XX', '499'));
    assert.ok(m('_+X.', '+4420'));
    assert.ok(m('dialed-BUSY', 'dialedBUSY'), 'dashes are ignored in plain names too');
  });

  test('the best match: a plain name, then the most specific pattern, then includes in order', () => {
    const dp = dialplanOf(
      [
        '[top]',
        'include => first',
        'include => second',
        'exten => _X.,1,NoOp(any)',
        'exten => _011.,1,NoOp(intl)',
        'exten => 0114,1,NoOp(plain)',
        '[first]',
        'exten => _9XX,1,NoOp(first)',
        '[second]',
        'exten => _9XX,1,NoOp(second)',
        'exten => s,1,NoOp(s)',
      ].join('\n'),
    );
    const app = (exten: string) => findExtension(dp, 'top', exten)?.extension.steps[0]?.args;
    assert.equal(app('01144'), 'intl');
    assert.equal(app('0114'), 'plain');
    assert.equal(app('555'), 'any');
    assert.equal(app('s'), 's', 'found through the second include');
    assert.equal(
      findExtension(dp, 'top', 's')
        ?.via.map((i) => i.context)
        .join(),
      'second',
    );
  });
});

describe('${…} substitution', () => {
  test('innermost first, unknown functions left to the evaluator', () => {
    const seen: string[] = [];
    const out = replaceVars('a${X:${Y}}b', (e) => {
      seen.push(e);
      return e === 'Y' ? '1' : 'Z';
    });
    assert.equal(out, 'aZb');
    assert.deepEqual(seen, ['Y', 'X:1']);
  });
});

function walk(files: Record<string, string>, context: string) {
  return withConfDir(files, (dir) => {
    const model = buildAsteriskModel(loadAsteriskDir(dir));
    const w = new Walker(model.dialplan, model.channels, { voicemailOut: model.voicemail.outContexts });
    w.startAnywhere(context, [{ context, file: 'x', line: 0, what: 'start' }]);
    return w.events;
  });
}

const TRUNK = '[operator]\ntype=peer\nhost=sip.operator.example\ncontext=from-trunk\n';

describe('the walk from where a caller lands', () => {
  test('Goto with ${EXTEN} rewritten, :offset, GLOBAL(), and a plain DID that fixes the number', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': [
          '[globals]',
          'OUT=SIP/operator',
          '[from-trunk]',
          'exten => 5551000,1,Dial(${GLOBAL(OUT)}/0611223344)',
          'exten => _9X.,1,Goto(out,${EXTEN:1},1)',
          '[out]',
          'exten => _X.,1,Dial(${OUT}/${EXTEN})',
        ].join('\n'),
      },
      'from-trunk',
    );
    const dials = events.flatMap((e) => (e.kind === 'trunk-dial' ? [`${e.number}:${e.tainted}`] : []));
    assert.ok(dials.includes('0611223344:false'), 'a fixed number is not chosen by the caller');
    assert.ok(dials.includes('00442079460000:true'), '9 stripped by ${EXTEN:1}, digits chosen by the caller');
  });

  test('Gosub arguments, Macro ARGn, ExecIf, GotoIf (both ways), Dial(Local/…@ctx)', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': [
          '[from-trunk]',
          'exten => _1X.,1,Gosub(sub,s,1(${EXTEN:1}))',
          'exten => _2X.,1,Macro(out,${EXTEN:1})',
          'exten => _3X.,1,ExecIf($[1]?Dial(Local/${EXTEN:1}@local))',
          'exten => _4X.,1,GotoIf($["${X}" = "y"]?no,s,1:yes,${EXTEN:1},1)',
          '[sub]',
          'exten => s,1,Dial(SIP/operator/${ARG1})',
          '[macro-out]',
          'exten => s,1,Dial(SIP/${ARG1}@operator)',
          '[local]',
          'exten => _X.,1,Dial(SIP/operator/${EXTEN})',
          '[yes]',
          'exten => _X.,1,Dial(SIP/operator/${EXTEN})',
        ].join('\n'),
      },
      'from-trunk',
    );
    const lines = new Set(events.flatMap((e) => (e.kind === 'trunk-dial' && e.tainted ? [e.step.line] : [])));
    assert.deepEqual(
      [...lines].sort((a, b) => a - b),
      [7, 9, 11, 13],
    );
    assert.ok(events.some((e) => e.kind === 'missing-context' && e.name === 'no'));
  });

  const paths = (events: ReturnType<typeof walk>) =>
    events.flatMap((e) => (e.kind === 'trunk-dial' && e.tainted ? [e.path.map((p) => p.what).join(' > ')] : []));
  const OUT = '[out]\nexten => _X.,1,Dial(SIP/operator/${EXTEN})\n';

  test('digits from Read() lead anywhere in the context a Goto names', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': `[from-trunk]\nexten => 1,1,Read(NUM,beep)\n same => n,Goto(out,\${NUM},1)\n${OUT}`,
      },
      'from-trunk',
    );
    assert.ok(paths(events).some((p) => p.includes('Goto(out,‹NUM›')));
  });

  test('DISA: the event, then a dial tone in its context', () => {
    const events = walk(
      { 'sip.conf': TRUNK, 'extensions.conf': `[from-trunk]\nexten => 2,1,DISA(no-password,out)\n${OUT}` },
      'from-trunk',
    );
    assert.ok(events.some((e) => e.kind === 'disa' && e.password === 'no-password' && e.target === 'out'));
    assert.ok(paths(events).some((p) => p.includes('DISA(no-password,out)')));
  });

  test('VoiceMailMain: the s option, and the dial-out context of voicemail.conf followed', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'voicemail.conf': '[general]\ndialout=vm-out\n[default]\n100 => 482916,A\n',
        'extensions.conf':
          '[from-trunk]\nexten => 3,1,VoiceMailMain(,s)\n[vm-out]\nexten => _X.,1,Dial(SIP/operator/${EXTEN})\n',
      },
      'from-trunk',
    );
    assert.ok(events.some((e) => e.kind === 'voicemail-main' && e.skipPassword));
    assert.ok(paths(events).some((p) => p.includes('voicemail dialout=vm-out')));
  });

  test('a menu (Background, WaitExten) lets the caller key any extension of its context', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': [
          '[from-trunk]',
          'exten => 4,1,Goto(menu,s,1)',
          '[menu]',
          'exten => s,1,Background(menu)',
          ' same => n,WaitExten(5)',
          'exten => _0X.,1,Dial(SIP/operator/${EXTEN})',
        ].join('\n'),
      },
      'from-trunk',
    );
    assert.ok(paths(events).some((p) => /Background\(\): the caller may key any extension of menu/.test(p)));
  });

  test('Goto(st-${DIALSTATUS},1) is followed for each status Dial() may set', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': `[from-trunk]\nexten => 5,1,Dial(SIP/100)\n same => n,Goto(st-\${DIALSTATUS},1)\nexten => st-BUSY,1,Goto(out,0611223344,1)\n${OUT}`,
      },
      'from-trunk',
    );
    assert.ok(events.some((e) => e.kind === 'trunk-dial' && !e.tainted && e.number === '0611223344'));
    assert.ok(!events.some((e) => e.kind === 'unresolved'));
  });

  test('Authenticate() on the way is remembered', () => {
    const events = walk(
      {
        'sip.conf': TRUNK,
        'extensions.conf': '[from-trunk]\nexten => _X.,1,Authenticate(4829)\n same => n,Dial(SIP/operator/${EXTEN})\n',
      },
      'from-trunk',
    );
    assert.ok(events.some((e) => e.kind === 'trunk-dial' && e.tainted && e.authenticated));
    assert.ok(!events.some((e) => e.kind === 'trunk-dial' && !e.authenticated));
  });
});
