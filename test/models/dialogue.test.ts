import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, Tensor, manualSeed, randn, tensor, optim, crossEntropy, mul, add, sum, backward } from '../../src/index.js';
import { parseWesnothDialogue, dialogueExamples, tokenizeDialogue, type DialogueTurn } from '../../src/data/index.js';
import { dialogue } from '../../src/models/index.js';
import { loadWesnothDialogue } from '../../src/node/wesnoth.js';

/** A scenario with the quirks the parser must handle (carried here, not read from the packages). */
const SNIPPET = `#textdomain wesnoth-tiny
#define TINY_NOTE
    # a macro body: its message is a turn outside any event
    [message]
        speaker=narrator
        message= _ "A note from the macro."
    [/message]
#enddef
[scenario]
    id=01_Tiny
    name= _ "Tiny"
    {TINY_NOTE}
    [event]
        name=start
        [message]
            speaker=Konrad
            message= _ "Delfador, some orcs are following us!"
        [/message]
        [message]
            speaker=Delfador
            {DELFADOR_MENTORING}
            image=portraits/delfador.png
            message= _ "He said ""run"", and we ran. # not a comment
Then we ran further." # a comment
        [/message]
        #   [message]
        #   speaker=Commented_out
        #   message= _ "Never said."
        #   [/message]
        [message]
            id=Kalenz
            message = _ "female^<i>Hurry</i>, $unit.name|!" +
                _ " We must go."
        [/message]
        [message]
            speaker=$speaking_unit.id
            message=$gold_message
        [/message]
        [message]
            speaker=unit
            message= _ "Which way?"
            [option]
                message= _ "Left (a menu label)"
                [command]
                    [message]
                        speaker=Konrad
                        message= _ "Left it is."
                    [/message]
                [/command]
            [/option]
        [/message]
    [/event]
    [event]
        name=die
        {CHOICE_MACRO (
            [message]
                speaker=second_unit
                message={WHISPER (_ "whisper^Quiet now.")}
            [/message]
        )}
        [message]
            role=Advisor
            message= _ <<A raw "string".>>
        [/message]
    [/event]
[/scenario]
`;

test('parseWesnothDialogue: the [message] turns of a carried snippet, with the WML quirks', () => {
  const turns = parseWesnothDialogue(SNIPPET, { source: 'tiny.cfg' });
  assert.deepEqual(
    turns.map((t) => [t.scene, t.speaker, t.text]),
    [
      [-1, 'narrator', 'A note from the macro.'],
      [0, 'Konrad', 'Delfador, some orcs are following us!'],
      [0, 'Delfador', 'He said "run", and we ran. # not a comment Then we ran further.'],
      [0, 'Kalenz', 'Hurry, ! We must go.'],
      [0, 'unit', 'Which way?'],
      [0, 'Konrad', 'Left it is.'],
      [1, 'second_unit', 'Quiet now.'],
      [1, 'Advisor', 'A raw "string".'],
    ],
  );
  assert.ok(turns.every((t) => t.source === 'tiny.cfg'));
  assert.deepEqual(parseWesnothDialogue('[message]\nspeaker=A\nmessage="unterminated'), [
    { speaker: 'A', text: 'unterminated', scene: -1, source: '' },
  ]);
  assert.throws(() => parseWesnothDialogue(5 as never), /parseWesnothDialogue: argument 1 \(wml\) must be a string, got the number 5/);
  assert.throws(() => parseWesnothDialogue('', { file: 'x' } as never), /parseWesnothDialogue: unknown option 'file'/);
});

const turn = (speaker: string, text: string, scene: number, source = 'a.cfg'): DialogueTurn => ({ speaker, text, scene, source });

test('dialogueExamples: up to k previous turns of the same scene; tokenizeDialogue folds typography', () => {
  const turns = [
    turn('A', 'one', 0),
    turn('B', 'two', 0),
    turn('A', 'three', 0),
    turn('B', 'four', 0),
    turn('C', 'five', 0),
    turn('A', 'new', 1),
    turn('B', 'other file', 1, 'b.cfg'),
    turn('C', 'reply', 1, 'b.cfg'),
  ];
  const ex = dialogueExamples(turns, { contextTurns: 3 });
  assert.deepEqual(
    ex.map((e) => [e.context.map((t) => t.text), e.response.text]),
    [
      [['one'], 'two'],
      [['one', 'two'], 'three'],
      [['one', 'two', 'three'], 'four'],
      [['two', 'three', 'four'], 'five'],
      [['other file'], 'reply'],
    ],
  );
  assert.equal(dialogueExamples(turns, { contextTurns: 3, minContext: 2 }).length, 3);
  assert.throws(() => dialogueExamples(turns, { contextTurns: 1, minContext: 2 }), /minContext \(2\) must not exceed contextTurns \(1\)/);
  assert.throws(() => dialogueExamples(turns, { context: 3 } as never), /dialogueExamples: unknown option 'context'/);
  assert.deepEqual(tokenizeDialogue('Grüü’s axe — “ready”…'), ["gruu's", 'axe', '-', '"', 'ready', '"', '.', '.', '.']);
});

test('loadWesnothDialogue: reads <Campaign>/scenarios (chapter folders too) in order, and names the packages when none is there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-wesnoth-'));
  try {
    mkdirSync(join(dir, 'Two_Brothers', 'scenarios'), { recursive: true });
    mkdirSync(join(dir, 'Legend_of_Wesmere', 'scenarios', 'chapter1'), { recursive: true });
    writeFileSync(
      join(dir, 'Two_Brothers', 'scenarios', '02_b.cfg'),
      '[event]\n[message]\nspeaker=B\nmessage= _ "second"\n[/message]\n[/event]\n',
    );
    writeFileSync(
      join(dir, 'Two_Brothers', 'scenarios', '01_a.cfg'),
      '[event]\n[message]\nspeaker=A\nmessage= _ "first"\n[/message]\n[/event]\n',
    );
    writeFileSync(
      join(dir, 'Legend_of_Wesmere', 'scenarios', 'chapter1', '01.cfg'),
      '[message]\nspeaker=K\nmessage= _ "elf"\n[/message]\n',
    );
    const logs: string[] = [];
    const r = loadWesnothDialogue({ campaignsDir: dir, log: (l) => logs.push(l) });
    assert.deepEqual(
      r.campaigns.map((c) => [c.name, c.turns.map((t) => t.text)]),
      [
        ['Legend_of_Wesmere', ['elf']],
        ['Two_Brothers', ['first', 'second']],
      ],
    );
    assert.match(logs.join('\n'), /not installed: Dead_Water, .*\(apt-get install wesnoth-1\.16-dw /);
    assert.throws(
      () => loadWesnothDialogue({ campaignsDir: dir, campaigns: ['Two_Brothers', 'Liberty'] }),
      /Liberty \(apt-get install wesnoth-1\.16-l\)/,
    );
    assert.throws(
      () => loadWesnothDialogue({ campaignsDir: join(dir, 'none') }),
      /wesnoth: no campaign scenarios found under .*none .*Install the Debian packages: apt-get install wesnoth-1\.16-dw wesnoth-1\.16-dm .*wesnoth-1\.16-httt/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('gaussianKl: the closed form matches numeric integration of q log(q/p), and sums over dims', () => {
  const cases = [
    [0.3, -0.4, -0.5, 0.7],
    [1.2, 0.5, 0.1, -0.3],
    [-2, -1.5, 0.4, 0.2],
  ];
  const normal = (x: number, mu: number, logvar: number): number =>
    Math.exp(-((x - mu) ** 2) / (2 * Math.exp(logvar))) / Math.sqrt(2 * Math.PI * Math.exp(logvar));
  for (const [mq, lq, mp, lp] of cases) {
    // midpoint rule over [-15, 15]: the Gaussians' mass outside is negligible
    let kl = 0;
    const h = 1e-3;
    for (let x = -15 + h / 2; x < 15; x += h) {
      const q = normal(x, mq!, lq!);
      if (q > 0) kl += q * Math.log(q / normal(x, mp!, lp!)) * h;
    }
    const t = (v: number): Tensor => tensor([[v]], { dtype: 'float64' });
    const closed = dialogue.gaussianKl(t(mq!), t(lq!), t(mp!), t(lp!)).item();
    assert.ok(Math.abs(closed - kl) < 1e-6, `KL ${closed} vs numeric ${kl}`);
  }
  const r = (): Tensor => tensor([cases.map((c) => c[0]!), cases.map((c) => c[1]!)], { dtype: 'float64' });
  const all = dialogue.gaussianKl(r(), r(), randn([2, 3], { dtype: 'float64' }), randn([2, 3], { dtype: 'float64' }));
  assert.deepEqual(all.shape, [2]);
  assert.equal(dialogue.gaussianKl(r(), r(), r(), r()).toList().join(), '0,0', 'KL(q || q) = 0');
});

/** A tiny dialogue set: replies determined by the context (so a model can learn them). */
function tinyExamples(): { examples: dialogue.EncodedExample[]; eos: number; V: number } {
  const eos = 1;
  const u = (...ids: number[]): Int32Array => Int32Array.from([...ids, eos]);
  const examples = [
    { context: [u(2, 3), u(4)], response: u(5, 6, 7) },
    { context: [u(8)], response: u(9, 10) },
    { context: [u(2, 3), u(11, 12, 13), u(4)], response: u(14, 7, 6, 5) },
    { context: [u(15, 16)], response: Int32Array.of(17, 18, 19) }, // a cut response: no <eos>
  ];
  return { examples, eos, V: 20 };
}

test('collateDialogue: the batch layout (flat context, utterances, turn index, shifted decoder input, packed targets)', () => {
  const { examples, eos } = tinyExamples();
  const b = dialogue.collateDialogue(examples, eos);
  assert.equal(b.size, 4);
  assert.deepEqual([...b.flatLengths], [5, 2, 9, 3]);
  assert.deepEqual([...b.turns], [2, 1, 3, 1]);
  assert.deepEqual(b.utterances.shape, [4, 7]);
  assert.deepEqual([...b.utteranceLengths], [3, 2, 2, 3, 4, 2, 3]);
  // turn k of example b at k*B + b; N = 7 (the zero row) past an example's turns
  assert.deepEqual(b.turnIndex.toList(), [0, 2, 3, 6, 1, 7, 4, 7, 7, 7, 5, 7]);
  assert.deepEqual(b.decoderInput.shape, [5, 4]);
  // prettier-ignore
  assert.deepEqual(b.decoderInput.toList(), [
    1, 1, 1, 1,
    5, 9, 14, 17,
    6, 10, 7, 18,
    7, 1, 6, 19,
    1, 1, 5, 1,
  ]);
  assert.equal(b.tokens, 4 + 3 + 5 + 3);
  const target = b.target.toList();
  assert.deepEqual(
    [...(b.targetRows.data as Int32Array)].map((i) => target[i]),
    b.targetPacked.toList(),
  );
  assert.deepEqual(target.slice(16), [-100, -100, 1, -100]);
});

for (const kind of ['seq2seq', 'hred', 'vhred'] as const) {
  test(`${kind}: overfits one small batch`, () => {
    manualSeed(1);
    const { examples, eos, V } = tinyExamples();
    const model = dialogue.dialogueModel(kind, { vocabSize: V, embedSize: 12, hiddenSize: 24, contextSize: 16, latentSize: 4, dropout: 0 });
    const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
    const batch = dialogue.collateDialogue(examples, eos);
    const lossOf = (): { nll: Tensor; kl: Tensor | null } => {
      const out = model.forward(batch);
      return { nll: crossEntropy(out.logits, batch.targetPacked), kl: out.kl ? mul(sum(out.kl), 1 / batch.tokens) : null };
    };
    const first = lossOf().nll.item();
    let last = first;
    for (let i = 0; i < 120; i++) {
      const l = lossOf();
      opt.zeroGrad();
      backward([l.kl ? add(l.nll, l.kl) : l.nll]);
      opt.step();
      last = l.nll.item();
    }
    assert.ok(first > 2.5, `${kind}: starts near log V (${first})`);
    assert.ok(last < 0.15, `${kind}: cross entropy ${first} -> ${last}`);
    // once fitted, greedy decoding reproduces the responses (VHRED: z from the prior)
    model.eval();
    const out = dialogue.generateResponses(model, examples, { eos, batchSize: 4, seed: 3, decode: { maxLength: 6, method: 'greedy' } });
    if (kind !== 'vhred')
      assert.deepEqual(out.slice(0, 3), [
        [5, 6, 7],
        [9, 10],
        [14, 7, 6, 5],
      ]);
    else assert.equal(out.length, 4);
  });
}

test('lstm cell: HRED and seq2seq run and learn with nn.LSTM too', () => {
  manualSeed(2);
  const { examples, eos, V } = tinyExamples();
  for (const kind of ['seq2seq', 'hred', 'vhred'] as const) {
    const model = dialogue.dialogueModel(kind, { vocabSize: V, embedSize: 8, hiddenSize: 12, cell: 'lstm', latentSize: 3, dropout: 0 });
    const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
    const batch = dialogue.collateDialogue(examples, eos);
    const ce = (): Tensor => crossEntropy(model.forward(batch).logits, batch.targetPacked);
    const first = ce().item();
    for (let i = 0; i < 30; i++) {
      const l = ce();
      opt.zeroGrad();
      backward([l]);
      opt.step();
    }
    assert.ok(ce().item() < first * 0.6, `${kind} lstm`);
    const beams = dialogue.generateResponses(model, examples.slice(0, 2), {
      eos,
      batchSize: 2,
      seed: 1,
      decode: { maxLength: 5, method: 'beam', beamWidth: 3 },
    });
    assert.equal(beams.length, 2);
  }
});

test('wordDrop: replaces inputs after the start symbol by <unk> at about the given rate, never the first row', () => {
  const input = new Tensor(new Int32Array(200 * 10).fill(7), [200, 10]);
  const out = dialogue.wordDrop(input, 0.25, 0, new Generator(5)).toList();
  assert.deepEqual(out.slice(0, 10), new Array(10).fill(7));
  const dropped = out.slice(10).filter((v) => v === 0).length / (199 * 10);
  assert.ok(Math.abs(dropped - 0.25) < 0.03, `rate ${dropped}`);
  assert.equal(dialogue.wordDrop(input, 0, 0), input);
});
