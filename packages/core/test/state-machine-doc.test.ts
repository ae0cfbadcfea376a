import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { withDiagram } from '../scripts/state-diagram.js';

it('docs/state-machine.md holds the diagram the machine generates (run pnpm docs:machine)', () => {
  const doc = readFileSync(new URL('../../../docs/state-machine.md', import.meta.url), 'utf8');
  expect(doc).toContain('stateDiagram-v2');
  expect(withDiagram(doc)).toBe(doc);
});
