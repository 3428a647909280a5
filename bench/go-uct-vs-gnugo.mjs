// UCT (random playouts) against GNU Go level 1 on 9x9 at several playout budgets.
// Usage: node bench/go-uct-vs-gnugo.mjs [budgets=250,1000,4000] [games per budget=10]
// Needs a build (npm run build) and GNU Go (/usr/games/gnugo or on PATH).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { wilsonInterval } from '../dist/src/games/index.js';
import { runMatch } from '../dist/src/node/index.js';
import { writeDocSection } from './go-docs.mjs';

const budgets = (process.argv[2] ?? '250,1000,4000').split(',').map(Number);
const games = Number(process.argv[3] ?? 10);
const gnugo = existsSync('/usr/games/gnugo')
  ? '/usr/games/gnugo'
  : execFileSync('sh', ['-c', 'command -v gnugo'], { encoding: 'utf8' }).trim();
const rows = [];
for (const playouts of budgets) {
  const t0 = Date.now();
  const s = await runMatch({
    black: `"${process.execPath}" dist/src/cli/main.js gtp --player uct --playouts ${playouts} --seed ${playouts}`,
    white: `${gnugo} --mode gtp --level 1 --chinese-rules`,
    games,
    size: 9,
    komi: 7,
    outDir: `runs/go-uct-vs-gnugo/uct-${playouts}`,
    onGame: (r, done, total) =>
      process.stderr.write(
        `uct-${playouts} game ${done}/${total}: UCT ${r.black === 'A' ? 'black' : 'white'}, ${r.result} (${r.reason}, ${r.moves} moves)\n`,
      ),
  });
  const wins = s.wins.A + s.draws / 2;
  const [lo, hi] = wilsonInterval(wins, games);
  const row = { playouts, wins: s.wins.A, draws: s.draws, games, lo, hi, minutes: (Date.now() - t0) / 60000 };
  rows.push(row);
  console.log(
    `UCT ${playouts} playouts/move vs GNU Go level 1: ${s.wins.A}/${games} wins (draws ${s.draws}), 95% CI [${(100 * lo).toFixed(0)}%, ${(100 * hi).toFixed(0)}%], ${row.minutes.toFixed(1)} min`,
  );
}
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)}: \`node bench/go-uct-vs-gnugo.mjs ${budgets.join(',')} ${games}\` (9x9, komi 7, GNU Go 3.8 \`--level 1 --chinese-rules\`, colours alternating, Tromp-Taylor count after the dead stones both engines agree on):`,
  '',
  '| UCT playouts / move | UCT wins / games | score rate (draws count half) | 95% Wilson interval |',
  '| --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.playouts} | ${r.wins} / ${r.games}${r.draws ? ` (+${r.draws} draw${r.draws > 1 ? 's' : ''})` : ''} | ${((100 * (r.wins + r.draws / 2)) / r.games).toFixed(0)}% | [${(100 * r.lo).toFixed(0)}%, ${(100 * r.hi).toFixed(0)}%] |`,
  ),
].join('\n');
writeDocSection('bench-uct', body);
