/**
 * The toy English→Korean corpus: sentences from a small grammar, translated by rule.
 *
 *   English  [Time] the [Adj] S  V          the [Adj] O .        subject–verb–object
 *   Korean   [Time]     [Adj] S+이/가 [Adj] O+을/를   V .        subject–object–verb
 *
 * - The verb moves to the end (SVO → SOV) and carries tense and negation:
 *   eats / ate / does not eat / did not eat → 먹는다 / 먹었다 / 먹지 않는다 / 먹지 않았다.
 * - Particles follow the noun's last syllable (es-hangul's josa decides): a subject takes 이/가,
 *   or the topic particle 은/는 in a negated sentence ("the cat does not eat…" → "고양이는…");
 *   an object takes 을/를.
 * - 'yesterday' makes the sentence past tense; 'today' and 'every day' keep it present.
 *
 * Splits: every (subject, verb, object) triple belongs to exactly one of train, dev and test, so
 * dev and test sentences are combinations the model has never seen together in training (each
 * word on its own is seen many times).
 *
 * Run: npx tsx recipes/toy-translation/generate.ts [--out corpora/toy-translation]
 */
import { josa } from 'es-hangul';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mulberry32, shuffled } from '../../src/index.ts';

export interface Noun {
  en: string;
  ko: string;
}
export interface Verb {
  /** present 3rd person, past, bare infinitive (after 'does not' / 'did not') */
  en: { present: string; past: string; base: string };
  /** present (한다체), past, stem + 지 (before 않는다 / 않았다) */
  ko: { present: string; past: string; negative: string };
}
export interface Word {
  en: string;
  ko: string;
}

export const SUBJECTS: readonly Noun[] = [
  { en: 'cat', ko: '고양이' }, { en: 'dog', ko: '개' }, { en: 'student', ko: '학생' },
  { en: 'teacher', ko: '선생님' }, { en: 'child', ko: '아이' }, { en: 'doctor', ko: '의사' },
  { en: 'friend', ko: '친구' }, { en: 'bear', ko: '곰' }, { en: 'rabbit', ko: '토끼' },
  { en: 'man', ko: '남자' }, { en: 'woman', ko: '여자' }, { en: 'cook', ko: '요리사' },
];
export const OBJECTS: readonly Noun[] = [
  { en: 'apple', ko: '사과' }, { en: 'bread', ko: '빵' }, { en: 'water', ko: '물' },
  { en: 'book', ko: '책' }, { en: 'milk', ko: '우유' }, { en: 'rice', ko: '밥' },
  { en: 'letter', ko: '편지' }, { en: 'ball', ko: '공' }, { en: 'fish', ko: '생선' },
  { en: 'tea', ko: '차' }, { en: 'cake', ko: '케이크' }, { en: 'newspaper', ko: '신문' },
];
export const VERBS: readonly Verb[] = [
  { en: { present: 'eats', past: 'ate', base: 'eat' }, ko: { present: '먹는다', past: '먹었다', negative: '먹지' } },
  { en: { present: 'reads', past: 'read', base: 'read' }, ko: { present: '읽는다', past: '읽었다', negative: '읽지' } },
  { en: { present: 'likes', past: 'liked', base: 'like' }, ko: { present: '좋아한다', past: '좋아했다', negative: '좋아하지' } },
  { en: { present: 'sees', past: 'saw', base: 'see' }, ko: { present: '본다', past: '봤다', negative: '보지' } },
  { en: { present: 'buys', past: 'bought', base: 'buy' }, ko: { present: '산다', past: '샀다', negative: '사지' } },
  { en: { present: 'wants', past: 'wanted', base: 'want' }, ko: { present: '원한다', past: '원했다', negative: '원하지' } },
  { en: { present: 'makes', past: 'made', base: 'make' }, ko: { present: '만든다', past: '만들었다', negative: '만들지' } },
  { en: { present: 'finds', past: 'found', base: 'find' }, ko: { present: '찾는다', past: '찾았다', negative: '찾지' } },
];
export const ADJECTIVES: readonly Word[] = [
  { en: 'big', ko: '큰' }, { en: 'small', ko: '작은' }, { en: 'good', ko: '좋은' }, { en: 'pretty', ko: '예쁜' },
];
/** Time words; `past` marks the ones that make the sentence past tense. */
export const TIMES: readonly (Word & { past: boolean })[] = [
  { en: 'yesterday', ko: '어제', past: true }, { en: 'today', ko: '오늘', past: false },
  { en: 'every day', ko: '매일', past: false },
];

/** One sentence of the grammar, by index into the word lists (−1: absent). */
export interface ToySentence {
  subject: number;
  verb: number;
  object: number;
  subjectAdjective: number;
  objectAdjective: number;
  time: number;
  negated: boolean;
}

export interface ToyPair {
  en: string;
  ko: string;
  sentence: ToySentence;
}

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The English sentence: "[Time] the [Adj] S V the [Adj] O." */
export function english(s: ToySentence): string {
  const past = s.time >= 0 && TIMES[s.time].past;
  const verb = VERBS[s.verb].en;
  const verbPhrase = s.negated ? `${past ? 'did' : 'does'} not ${verb.base}` : past ? verb.past : verb.present;
  const np = (adjective: number, noun: Noun) => ['the', adjective >= 0 ? ADJECTIVES[adjective].en : '', noun.en];
  const words = [
    s.time >= 0 ? TIMES[s.time].en : '',
    ...np(s.subjectAdjective, SUBJECTS[s.subject]),
    verbPhrase,
    ...np(s.objectAdjective, OBJECTS[s.object]),
  ].filter((w) => w !== '');
  return `${capitalize(words.join(' '))}.`;
}

/** The Korean sentence: "[Time] [Adj] S+이/가 (은/는 if negated) [Adj] O+을/를 V." */
export function korean(s: ToySentence): string {
  const past = s.time >= 0 && TIMES[s.time].past;
  const verb = VERBS[s.verb].ko;
  const verbPhrase = s.negated ? `${verb.negative} ${past ? '않았다' : '않는다'}` : past ? verb.past : verb.present;
  const adjective = (i: number) => (i >= 0 ? ADJECTIVES[i].ko : '');
  const words = [
    s.time >= 0 ? TIMES[s.time].ko : '',
    adjective(s.subjectAdjective),
    josa(SUBJECTS[s.subject].ko, s.negated ? '은/는' : '이/가'),
    adjective(s.objectAdjective),
    josa(OBJECTS[s.object].ko, '을/를'),
    verbPhrase,
  ].filter((w) => w !== '');
  return `${words.join(' ')}.`;
}

export interface ToyCorpusOptions {
  seed: number;
  /** Sentence pairs per split. */
  sizes: { train: number; dev: number; test: number };
  /** Fractions of the (subject, verb, object) triples reserved for dev and for test. */
  heldOut: { dev: number; test: number };
}

export const TOY_CORPUS_DEFAULTS: ToyCorpusOptions = {
  seed: 20261123,
  sizes: { train: 8000, dev: 500, test: 500 },
  heldOut: { dev: 0.1, test: 0.1 },
};

export interface ToyCorpus {
  train: ToyPair[];
  dev: ToyPair[];
  test: ToyPair[];
}

/** The key of a (subject, verb, object) triple. */
export const tripleKey = (s: ToySentence) => `${s.subject}/${s.verb}/${s.object}`;

/**
 * Generate the three splits, determined by `options.seed`. Triples are dealt to test, dev and train
 * first; sentences are then sampled within each split's triples (time word 60%, negation 30%,
 * each adjective 30%), with no English sentence twice in the whole corpus.
 */
export function generateToyCorpus(options: ToyCorpusOptions = TOY_CORPUS_DEFAULTS): ToyCorpus {
  const random = mulberry32(options.seed);
  const triples: [number, number, number][] = [];
  SUBJECTS.forEach((_, s) => VERBS.forEach((_, v) => OBJECTS.forEach((_, o) => triples.push([s, v, o]))));
  const dealt = shuffled(triples, random);
  const nTest = Math.round(options.heldOut.test * dealt.length);
  const nDev = Math.round(options.heldOut.dev * dealt.length);
  const tripleSets = {
    test: dealt.slice(0, nTest),
    dev: dealt.slice(nTest, nTest + nDev),
    train: dealt.slice(nTest + nDev),
  };
  const pick = (n: number) => Math.floor(random() * n);
  const maybe = (p: number, n: number) => (random() < p ? pick(n) : -1);
  const seen = new Set<string>();

  const sample = (split: keyof ToyCorpus): ToyPair[] => {
    const pairs: ToyPair[] = [];
    const pool = tripleSets[split];
    const wanted = options.sizes[split];
    for (let attempts = 0; pairs.length < wanted; attempts++) {
      if (attempts > 100 * wanted) throw new Error(`${split}: cannot find ${wanted} distinct sentences in ${pool.length} triples`);
      const [subject, verb, object] = pool[pick(pool.length)];
      const sentence: ToySentence = {
        subject,
        verb,
        object,
        time: maybe(0.6, TIMES.length),
        negated: random() < 0.3,
        subjectAdjective: maybe(0.3, ADJECTIVES.length),
        objectAdjective: maybe(0.3, ADJECTIVES.length),
      };
      const en = english(sentence);
      if (seen.has(en)) continue;
      seen.add(en);
      pairs.push({ en, ko: korean(sentence), sentence });
    }
    return pairs;
  };
  // Held-out splits first, so that their size does not depend on how full train gets.
  const test = sample('test');
  const dev = sample('dev');
  const train = sample('train');
  return { train, dev, test };
}

/** One split as TSV: "English<TAB>Korean" per line. */
export function toTsv(pairs: readonly ToyPair[]): string {
  return pairs.map((p) => `${p.en}\t${p.ko}\n`).join('');
}

/** Write train.tsv, dev.tsv, test.tsv into `outDir`. */
export function writeToyCorpus(outDir: string, options: ToyCorpusOptions = TOY_CORPUS_DEFAULTS): ToyCorpus {
  const corpus = generateToyCorpus(options);
  mkdirSync(outDir, { recursive: true });
  for (const split of ['train', 'dev', 'test'] as const) writeFileSync(join(outDir, `${split}.tsv`), toTsv(corpus[split]));
  return corpus;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out');
  const outDir = i >= 0 ? process.argv[i + 1] : 'corpora/toy-translation';
  const corpus = writeToyCorpus(outDir);
  console.log(`wrote ${outDir}: train ${corpus.train.length}, dev ${corpus.dev.length}, test ${corpus.test.length} pairs`);
}
