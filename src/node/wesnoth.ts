/**
 * The dialogue of the Wesnoth campaigns, from the scenario files Debian's `wesnoth-1.16-<campaign>`
 * packages install under /usr/share/games/wesnoth/1.16/data/campaigns/<Campaign>/scenarios/
 * (some campaigns keep them in chapter folders below). Each file is parsed with
 * parseWesnothDialogue (src/data/text/wesnoth.ts); files are read in sorted path order, which is
 * the scenarios' order (their names start with the scenario number). The data directory
 * ($SHINSOU_DATA/wesnoth/campaigns, same layout) is looked at first. With no campaign found, the
 * error names the packages to install.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseWesnothDialogue, WESNOTH_CAMPAIGNS, type DialogueTurn } from '../data/text/wesnoth.js';
import { READ_LIMITS, readTextFileLimited } from './files.js';
import { defaultDataDir } from './fashion-mnist.js';

/** Where Debian's wesnoth-1.16 packages put the campaigns. */
export const DEBIAN_WESNOTH_CAMPAIGNS = '/usr/share/games/wesnoth/1.16/data/campaigns';

export interface WesnothOptions {
  /** Data directory (default $SHINSOU_DATA, else ~/.cache/shinsou): wesnoth/campaigns/<Campaign>/scenarios is looked at first. */
  dataDir?: string;
  /** The campaigns folder to read (default: the data directory's, else Debian's). */
  campaignsDir?: string;
  /** Campaigns to read (default: all of WESNOTH_CAMPAIGNS that are installed). */
  campaigns?: readonly string[];
  log?: (msg: string) => void;
}

function cfgFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...cfgFiles(p));
    else if (f.endsWith('.cfg')) out.push(p);
  }
  return out;
}

/** Each installed campaign's turns, in the order of WESNOTH_CAMPAIGNS (see the module comment). */
export function loadWesnothDialogue(opts: WesnothOptions = {}): { campaigns: { name: string; turns: DialogueTurn[] }[]; source: string } {
  const local = join(defaultDataDir(opts.dataDir), 'wesnoth', 'campaigns');
  const root = opts.campaignsDir ?? (existsSync(local) ? local : DEBIAN_WESNOTH_CAMPAIGNS);
  const wanted = opts.campaigns ?? WESNOTH_CAMPAIGNS.map((c) => c.name);
  const campaigns: { name: string; turns: DialogueTurn[] }[] = [];
  const missing: string[] = [];
  for (const name of wanted) {
    const dir = join(root, name, 'scenarios');
    if (!existsSync(dir)) {
      missing.push(name);
      continue;
    }
    const turns = cfgFiles(dir).flatMap((f) =>
      parseWesnothDialogue(readTextFileLimited(f, READ_LIMITS.text, 'Wesnoth scenario'), { source: f.slice(root.length + 1) }),
    );
    campaigns.push({ name, turns });
  }
  const pkgs = (names: string[]): string =>
    names.map((n) => WESNOTH_CAMPAIGNS.find((c) => c.name === n)?.package ?? `(unknown campaign ${n})`).join(' ');
  if (campaigns.length === 0)
    throw new Error(
      `wesnoth: no campaign scenarios found under ${root} (looked for ${wanted.join(', ')}). ` +
        `Install the Debian packages: apt-get install ${pkgs([...wanted])}, ` +
        `or copy campaign folders (<Campaign>/scenarios/*.cfg) into ${local}.`,
    );
  if (missing.length) {
    const msg = `wesnoth: ${missing.length} campaign(s) not installed: ${missing.join(', ')} (apt-get install ${pkgs(missing)})`;
    if (opts.campaigns) throw new Error(msg);
    opts.log?.(msg);
  }
  const turns = campaigns.reduce((s, c) => s + c.turns.length, 0);
  opts.log?.(`wesnoth: ${turns} turns in ${campaigns.length} campaigns under ${root}`);
  return { campaigns, source: root };
}
