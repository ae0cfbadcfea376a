import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withDiagram } from './state-diagram.js';

/** `pnpm docs:machine`: regenerates the diagram in docs/state-machine.md from the machine definition. */
const docPath = fileURLToPath(new URL('../../../docs/state-machine.md', import.meta.url));
writeFileSync(docPath, withDiagram(readFileSync(docPath, 'utf8')));
process.stdout.write(`updated ${docPath}\n`);
