// Prints the README inputs table from the input table: `npx tsx scripts/inputs-table.ts`.
import { INPUTS } from '../src/config/inputs.js';
console.log('| input | default | what it does |\n| --- | --- | --- |');
for (const i of INPUTS) console.log(`| \`${i.name}\` | ${i.default === '' ? '' : '`' + i.default + '`'} | ${i.description} |`);
