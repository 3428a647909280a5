/**
 * The layer table of src/ and the ESLint rule that holds it (`shinsou/layering`).
 *
 * Every folder directly under src/ is a layer. A file may import its own layer and the layers listed
 * for it below, nothing else; the browser-safe layers (all but node and cli) also import no Node
 * built-in module. docs/architecture.md shows the same table: change both together.
 *
 * The rule resolves each relative specifier against the importing file, so the verdict depends on
 * the folder the import lands in, not on how the path is spelled. It checks static imports,
 * re-exports, `import type`, literal dynamic `import()` and `import('...')` types alike: a type
 * import is an arrow too. Imports built from a variable (the run-time guarded Node imports in
 * backend/wasm) are invisible to it, by design.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { noUnnecessaryTypeAssertion } from './assertions.js';

/** tensor, autograd and ops form the core: they import one another, and the backend. */
const CORE = ['backend', 'tensor', 'autograd', 'ops'];
/** What a model family may use: the core and every library layer. */
const LIBRARY = [...CORE, 'nn', 'optim', 'data', 'io', 'metrics', 'train'];

/**
 * layer -> the other layers (or single modules, as 'tensor/shape') it may import. `browserSafe`
 * layers also import no Node built-in. The entry `src/index.ts` and any other file directly in src/
 * is the layer 'index'.
 */
export const LAYERS = {
  backend: { may: ['tensor/dtype', 'tensor/shape'], why: 'the backend knows nothing of tensors, autograd or layers' },
  tensor: { may: ['backend', 'autograd'], why: 'a Tensor records onto the tape (autograd/node)' },
  autograd: { may: ['backend', 'tensor', 'ops'], why: 'the engine sums gradients with ops' },
  ops: { may: ['backend', 'tensor', 'autograd'] },
  nn: { may: [...CORE] },
  optim: { may: [...CORE, 'nn'] },
  data: { may: [...CORE] },
  metrics: { may: [...CORE] },
  io: { may: [...CORE, 'nn', 'optim', 'data'] },
  train: { may: [...CORE, 'nn', 'optim', 'data', 'io', 'metrics'] },
  models: { may: [...LIBRARY] },
  games: { may: [...CORE], why: 'game rules never need layers' },
  rl: { may: [...LIBRARY, 'models', 'games'] },
  compress: { may: [...LIBRARY, 'models'] },
  distributed: { may: [...LIBRARY] },
  bench: { may: [...LIBRARY, 'models'] },
  index: { may: [...LIBRARY, 'models', 'games', 'rl', 'compress', 'distributed', 'bench'] },
  node: { may: [...LIBRARY, 'models', 'games', 'rl', 'compress', 'distributed', 'bench', 'index'], node: true },
  cli: { may: [...LIBRARY, 'models', 'games', 'rl', 'compress', 'distributed', 'bench', 'index', 'node'], node: true },
};

const DOC = 'docs/architecture.md';
const builtins = new Set(builtinModules);

/** The layer of a path relative to src/ ('backend', 'index', ...), with its first two segments. */
function locate(rel) {
  const parts = rel.split(/[\\/]/);
  if (parts.length === 1) return { layer: 'index', module: 'index' };
  return { layer: parts[0], module: `${parts[0]}/${parts[1].replace(/\.[cm]?[jt]s$/, '')}` };
}

function allowed(from, target) {
  if (from === target.layer) return true;
  const may = LAYERS[from]?.may ?? [];
  return may.includes(target.layer) || may.includes(target.module);
}

/** @type {import('eslint').Rule.RuleModule} */
const layering = {
  meta: {
    type: 'problem',
    docs: { description: `Imports follow the layer table of ${DOC}` },
    schema: [],
    messages: {
      wrongArrow: `layering: src/{{from}} must not import src/{{to}}{{why}}; src/{{from}} may import {{may}} (${DOC})`,
      nodeOnly: `layering: src/{{from}} is browser-safe and must not import {{what}}; Node-only code goes in src/node (${DOC})`,
      unknownLayer: `layering: src/{{layer}} is not in the layer table; add it to scripts/lint/layering.js and ${DOC}`,
      outsideSrc: `layering: src/{{from}} must not import '{{spec}}' outside src/ (${DOC})`,
    },
  },
  create(context) {
    const file = context.filename;
    const srcDir = path.join(context.cwd, 'src');
    const relFile = path.relative(srcDir, file);
    if (relFile.startsWith('..') || path.isAbsolute(relFile)) return {};
    const from = locate(relFile).layer;
    const rules = LAYERS[from];

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (!rules) {
        context.report({ node, messageId: 'unknownLayer', data: { layer: from } });
        return;
      }
      if (spec.startsWith('.')) {
        const rel = path.relative(srcDir, path.resolve(path.dirname(file), spec));
        if (rel.startsWith('..') || path.isAbsolute(rel)) {
          context.report({ node, messageId: 'outsideSrc', data: { from, spec } });
          return;
        }
        const target = locate(rel);
        if (allowed(from, target)) return;
        if (!LAYERS[target.layer]) {
          context.report({ node, messageId: 'unknownLayer', data: { layer: target.layer } });
        } else if (!rules.node && LAYERS[target.layer].node) {
          context.report({ node, messageId: 'nodeOnly', data: { from, what: `src/${target.layer}` } });
        } else {
          const why = LAYERS[from].why ? ` (${LAYERS[from].why})` : '';
          const may = rules.may.length ? rules.may.map((m) => `src/${m}`).join(', ') : 'nothing else';
          context.report({ node, messageId: 'wrongArrow', data: { from, to: target.layer, why, may } });
        }
        return;
      }
      if (!rules.node && (spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]))) {
        context.report({ node, messageId: 'nodeOnly', data: { from, what: `the Node module '${spec}'` } });
      }
    }

    const literal = (n) => (n && n.type === 'Literal' ? n.value : undefined);
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ImportExpression: (n) => check(n.source, literal(n.source)),
      TSImportType: (n) => check(n, literal(n.argument?.literal ?? n.argument)),
      TSExternalModuleReference: (n) => check(n.expression, literal(n.expression)),
    };
  },
};

/** The project's local rules: `shinsou/layering`, `shinsou/no-unnecessary-type-assertion`. */
export const plugin = { meta: { name: 'shinsou' }, rules: { layering, 'no-unnecessary-type-assertion': noUnnecessaryTypeAssertion } };

/** The flat-config block that turns the rule on for src/ (the real config and the test share it). */
export const layeringConfig = {
  files: ['src/**/*.ts'],
  ignores: ['src/backend/wasm/assembly/**'],
  plugins: { shinsou: plugin },
  rules: { 'shinsou/layering': 'error' },
};
