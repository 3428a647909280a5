/**
 * Training curves as a standalone SVG, drawn by Vega-Lite and rendered headlessly by Vega (no
 * browser, no canvas: renderer 'none' + toSVG). Loaded lazily: only commands that plot pay for it.
 */

/** One point of a curve: an x position in epochs (fractional for within-epoch points) and a series. */
export interface CurvePoint {
  epoch: number;
  /** Series name, e.g. 'train' or 'test'. */
  split: string;
  loss?: number;
  accuracy?: number;
}

/**
 * An SVG with two panels, loss and accuracy against epochs, one line per split.
 * @example writeFileSync('curves.svg', await trainingCurvesSvg(history, 'mlp on Fashion-MNIST'))
 */
export async function trainingCurvesSvg(points: readonly CurvePoint[], title = 'training curves'): Promise<string> {
  const panel = (field: 'loss' | 'accuracy') => ({
    width: 360,
    height: 240,
    transform: [{ filter: `isValid(datum.${field})` }],
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: { field, type: 'quantitative', title: field, scale: { zero: false } },
      color: { field: 'split', type: 'nominal', title: null },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: points.map((p) => ({ ...p })) },
    hconcat: [panel('loss'), panel('accuracy')],
  };
  return vegaLiteSvg(spec);
}

/**
 * Any Vega-Lite spec (a plain object) as a standalone SVG, rendered headlessly.
 * @example writeFileSync('latent.svg', await vegaLiteSvg({ data: { values }, mark: 'point', encoding: {...} }))
 */
export async function vegaLiteSvg(spec: Record<string, unknown>): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One labelled point of a scatter plot. */
export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  /** Colour group. */
  group: string;
}

/**
 * A labelled scatter plot as a standalone SVG (Vega-Lite, rendered headlessly), e.g. word vectors
 * projected on two principal components.
 * @example writeFileSync('pca.svg', await scatterSvg(points, 'PCA of word vectors', ['PC 1', 'PC 2']))
 */
export async function scatterSvg(points: readonly ScatterPoint[], title: string, axes: [string, string] = ['x', 'y']): Promise<string> {
  const enc = {
    x: { field: 'x', type: 'quantitative', title: axes[0], scale: { zero: false } },
    y: { field: 'y', type: 'quantitative', title: axes[1], scale: { zero: false } },
    color: { field: 'group', type: 'nominal', title: null },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 420,
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      { mark: { type: 'point', filled: true, size: 40 }, encoding: enc },
      { mark: { type: 'text', align: 'left', dx: 5, dy: -4, fontSize: 10 }, encoding: { ...enc, text: { field: 'label' } } },
    ],
  };
  return vegaLiteSvg(spec);
}
