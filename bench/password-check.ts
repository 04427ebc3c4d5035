// How long one R-PW-POLICY check takes (console accounts, `tollguard check-password`, the audit's SIP secrets):
// against the shipped lists, and against 20,000 generated words, beside a reference measured in the same run (a
// plain Set lookup of the same forms), so the figure means something on a loaded machine. No assertion.
//   npm run build && node dist/bench/password-check.js
import { checkPassword } from '../src/credentials/index.js';
import { nearestCommonWord, passwordForms } from '../src/credentials/password.js';
import { defaultWordIndex, WordIndex } from '../src/credentials/wordlists.js';

const ROUNDS = 200;

function perCall(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) fn();
  return (performance.now() - t0) / ROUNDS;
}

function syntheticWords(n: number): string[] {
  let seed = 12345; // mulberry32
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    let w = '';
    for (let k = 4 + Math.floor(rnd() * 9); k > 0; k--) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    return w;
  });
}

const shipped = defaultWordIndex();
const pws = ['Xk9#mQ2zLp', 'Password1!', 'zutAnacHe8ewuWr', 'Correct1Horse2Battery3', 'Elqphxnt7', 'Mxnkez#9'];
const words = syntheticWords(20_000);
const synthetic = WordIndex.build([{ list: { id: 'synthetic', title: 'synthetic words' }, entries: words }]);
const set = new Set(words);

console.log(`entries: shipped ${shipped.size}, synthetic ${synthetic.size}; ${ROUNDS} calls each`);
console.log('password                  check ms   reference (Set lookup) ms   ratio');
for (const pw of pws) {
  const check = perCall(() => checkPassword(pw));
  const ref = perCall(() => passwordForms(pw).some((f) => set.has(f)));
  console.log(
    `${pw.padEnd(25)} ${check.toFixed(3).padStart(8)}   ${ref.toFixed(4).padStart(25)}   ${(check / ref).toFixed(0)}x`,
  );
}
const near = perCall(() => nearestCommonWord('Qwzrtplkm7!x', synthetic));
console.log(`nearest word among 20,000 generated: ${near.toFixed(3)} ms a check`);
