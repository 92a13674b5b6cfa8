/**
 * Vega-Lite → Vega → SVG on the server, without a browser or a canvas: `vega-lite`'s compile, then a headless Vega
 * view with the `none` renderer and `toSVG()`. Text widths come from Vega's built-in estimate (no canvas is
 * installed), so the bytes depend only on the spec and the pinned versions: the same spec gives the same SVG.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Vega and Vega-Lite are loaded on the first figure only, so runs without figures do not pay for them. */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vega = compile(spec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } finally {
    view.finalize();
  }
}
