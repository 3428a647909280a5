/**
 * `shinsou summary MODEL [--input 1,3,224,224]`: the layers of a network with their output shapes,
 * parameters and multiply-accumulates (nn.summary), and the totals. MODEL is a name of the CNN zoo
 * (torchvision's names: resnet18, densenet121, mobilenet_v2...; the CIFAR networks: resnet20,
 * wrn_28_10...) or of an image recipe (resnet20 is the zoo's; wrn-16-4, mobilenet-v2... build the
 * recipe's Fashion-MNIST network at its default options, input 1 x 1 x 28 x 28).
 */
import type { Command } from 'commander';
import type { Module } from '../../nn/module.js';
import { formatSummary, summary } from '../../nn/summary.js';
import { cnn } from '../../models/index.js';
import { listRecipes, recipeOptions } from '../../train/registry.js';

const IMAGE_DATA = 'fashion-mnist';

/** The network and default input shape of a zoo name or an image recipe's name. */
export function summaryModel(name: string): { model: Module; input: number[]; description: string } {
  const entry = cnn.CNN_ZOO[name];
  if (entry) return { model: entry.build(), input: entry.input, description: entry.description };
  const recipe = listRecipes().find((r) => r.name === name && r.data.id === IMAGE_DATA);
  if (recipe) {
    return {
      model: recipe.model(recipeOptions(recipe) as never, null) as Module,
      input: [1, 1, 28, 28],
      description: `recipe ${name}: ${recipe.description}`,
    };
  }
  const recipes = listRecipes()
    .filter((r) => r.data.id === IMAGE_DATA)
    .map((r) => r.name);
  throw new Error(
    `summary: unknown model '${name}': expected one of ${Object.keys(cnn.CNN_ZOO).join(', ')}, or an image recipe (${recipes.join(', ')})`,
  );
}

function parseShape(v: string): number[] {
  const dims = v.split(',').map((s) => Number(s.trim()));
  if (dims.length < 2 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`--input must be positive integers separated by commas (e.g. 1,3,224,224), got '${v}'`);
  }
  return dims;
}

/** Prints the summary of MODEL on the given (or the model's default) input shape; returns the text. */
export function runSummary(name: string, o: { input?: number[]; rows?: number; print?: (s: string) => void } = {}): string {
  const { model, input, description } = summaryModel(name);
  const s = summary(model, o.input ?? input);
  const text = `${name}: ${description}\n${formatSummary(s, { maxRows: o.rows ?? 0 })}`;
  (o.print ?? ((t: string) => process.stdout.write(`${t}\n`)))(text);
  return text;
}

export function registerSummaryCommands(program: Command): void {
  program
    .command('summary')
    .description('layers, output shapes, parameters and multiply-accumulates of a network (CNN zoo names or image recipes)')
    .argument('<model>', `a zoo name (${Object.keys(cnn.CNN_ZOO).join(', ')}) or an image recipe`)
    .option('--input <shape>', "input shape, comma-separated (default: the paper's, batch 1)", parseShape)
    .option('--rows <n>', 'print only the first n layers (default: all)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--rows must be a non-negative integer, got '${v}'`);
      return n;
    })
    .action((name: string, opts: { input?: number[]; rows?: number }) => {
      runSummary(name, opts);
    });
}
