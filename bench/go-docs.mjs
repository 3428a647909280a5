// Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in docs/go.md, so the
// bench scripts can keep their measured figures in the documentation.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

export function writeDocSection(name, body, file = 'docs/go.md') {
  if (!existsSync(file)) {
    console.error(`(${file} not found; results not written)`);
    return;
  }
  const text = readFileSync(file, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`(markers ${start} ... ${end} not found in ${file}; results not written)`);
    return;
  }
  writeFileSync(file, `${text.slice(0, i + start.length)}\n${body.trim()}\n${text.slice(j)}`);
  console.error(`wrote results into ${file} (${name})`);
}
