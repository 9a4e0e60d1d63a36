// Picks the engine named by the `engine` input for one benchmark × runtime.
import { measureCell, type CellRun, type MeasureCellInput } from './engine.js';
import { measureCellWithHyperfine } from './hyperfine-engine.js';

export function runCell(input: MeasureCellInput): Promise<CellRun> {
  return input.options.engine === 'hyperfine' ? measureCellWithHyperfine(input) : measureCell(input);
}
