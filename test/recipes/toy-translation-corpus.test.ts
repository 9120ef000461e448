import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  generateToyCorpus,
  korean,
  english,
  OBJECTS,
  SUBJECTS,
  TOY_CORPUS_DEFAULTS,
  toTsv,
  tripleKey,
  type ToySentence,
} from '../../recipes/toy-translation/generate.ts';

const bare: ToySentence = { subject: 0, verb: 0, object: 0, subjectAdjective: -1, objectAdjective: -1, time: -1, negated: false };
const subjectIndex = (ko: string) => SUBJECTS.findIndex((n) => n.ko === ko);
const objectIndex = (ko: string) => OBJECTS.findIndex((n) => n.ko === ko);

describe('toy translation grammar', () => {
  it('moves the verb to the end: SVO → SOV', () => {
    expect(english(bare)).toBe('The cat eats the apple.');
    expect(korean(bare)).toBe('고양이가 사과를 먹는다.');
  });

  // Particles written out by hand: 이/은/을 after a final consonant (batchim), 가/는/를 after a vowel.
  it('gives a vowel-final subject 가, a consonant-final subject 이', () => {
    expect(korean({ ...bare, subject: subjectIndex('개') })).toMatch(/^개가 /);
    expect(korean({ ...bare, subject: subjectIndex('학생') })).toMatch(/^학생이 /);
    expect(korean({ ...bare, subject: subjectIndex('선생님') })).toMatch(/^선생님이 /);
    expect(korean({ ...bare, subject: subjectIndex('곰') })).toMatch(/^곰이 /);
  });

  it('gives a negated sentence the topic particle: 는 after a vowel, 은 after a consonant', () => {
    expect(korean({ ...bare, negated: true })).toBe('고양이는 사과를 먹지 않는다.');
    expect(korean({ ...bare, subject: subjectIndex('학생'), negated: true })).toBe('학생은 사과를 먹지 않는다.');
    expect(english({ ...bare, negated: true })).toBe('The cat does not eat the apple.');
  });

  it('gives a vowel-final object 를, a consonant-final object 을', () => {
    expect(korean({ ...bare, object: objectIndex('우유') })).toBe('고양이가 우유를 먹는다.');
    expect(korean({ ...bare, object: objectIndex('빵') })).toBe('고양이가 빵을 먹는다.');
    expect(korean({ ...bare, object: objectIndex('물') })).toBe('고양이가 물을 먹는다.');
    expect(korean({ ...bare, object: objectIndex('책') })).toBe('고양이가 책을 먹는다.');
  });

  it('puts yesterday in the past tense, adjectives before their noun', () => {
    const s = { ...bare, time: 0, subjectAdjective: 0, objectAdjective: 1, negated: true };
    expect(english(s)).toBe('Yesterday the big cat did not eat the small apple.');
    expect(korean(s)).toBe('어제 큰 고양이는 작은 사과를 먹지 않았다.');
  });
});

describe('toy translation corpus', () => {
  const corpus = generateToyCorpus();

  it('is determined by its seed', () => {
    const again = generateToyCorpus();
    expect(toTsv(again.train)).toBe(toTsv(corpus.train));
    expect(toTsv(again.test)).toBe(toTsv(corpus.test));
    const other = generateToyCorpus({ ...TOY_CORPUS_DEFAULTS, seed: TOY_CORPUS_DEFAULTS.seed + 1 });
    expect(toTsv(other.test)).not.toBe(toTsv(corpus.test));
  });

  it('matches the committed corpora/toy-translation files', () => {
    for (const split of ['train', 'dev', 'test'] as const) {
      expect(readFileSync(`corpora/toy-translation/${split}.tsv`, 'utf8')).toBe(toTsv(corpus[split]));
    }
  });

  it('has the sizes asked for and no sentence twice', () => {
    expect([corpus.train.length, corpus.dev.length, corpus.test.length]).toEqual([8000, 500, 500]);
    const all = [...corpus.train, ...corpus.dev, ...corpus.test].map((p) => p.en);
    expect(new Set(all).size).toBe(all.length);
  });

  it('never shows a dev or test (subject, verb, object) triple in train', () => {
    const trainTriples = new Set(corpus.train.map((p) => tripleKey(p.sentence)));
    for (const p of [...corpus.dev, ...corpus.test]) expect(trainTriples.has(tripleKey(p.sentence))).toBe(false);
    const devTriples = new Set(corpus.dev.map((p) => tripleKey(p.sentence)));
    for (const p of corpus.test) expect(devTriples.has(tripleKey(p.sentence))).toBe(false);
  });

  it('uses in test only words that train also uses, on each side', () => {
    const words = (texts: string[]) => new Set(texts.flatMap((t) => t.replace('.', '').split(' ')));
    for (const side of ['en', 'ko'] as const) {
      const trainWords = words(corpus.train.map((p) => p[side]));
      for (const w of words(corpus.test.map((p) => p[side]))) expect(trainWords.has(w), `${side}: ${w}`).toBe(true);
    }
  });
});
