/**
 * Image captioning on the generated shapes corpus (corpora/shapes, made by generate.ts): a CNN
 * encoder and a GRU decoder with attention over the CNN's grid write "a red circle left of a
 * blue square".
 *
 *   npm run recipe -- shapes-caption [--stage N] [--stop-stage N] [--force] [--resume] [--section.key=value]
 *
 * Stage 1  prepare  generate the corpus if it is missing; check train, dev and test read
 * Stage 2  train    teacher forcing + Adam on augmented images, best dev exact match kept;
 *                   checkpoints every epoch (--resume); exp/shapes-caption/model
 * Stage 3  decode   caption dev, test (and data.extraSets) → exp/shapes-caption/decode/SET/hyp.txt
 * Stage 4  score    BLEU-4 (all references) and exact match (any reference) → RESULTS.md
 * Stage 5  demo     a few test images with their captions and attention (attention.json)
 * Stage 6  plots    training curves and attention over the image grid → plots/, report.html
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCaptioner, parseRecipeArgs, runStages, writeJsonAtomic } from '../../src/index.ts';
import { config as defaults } from './config.ts';
import { readImageSet, type ImageSet } from './data.ts';
import { decodeSets, scoreSets, setName } from './evaluate.ts';
import { generate } from './generate.ts';
import { trainStage } from './train.ts';
import { drawReport } from './plots.ts';

export default async function run(argv: string[]): Promise<void> {
  const args = parseRecipeArgs('shapes-caption', argv, defaults, { corpus: 'data.corpus' });
  const { config: cfg, expDir } = args;
  const { corpus } = cfg.data;
  const modelDir = join(expDir, 'model');
  const decodeDir = join(expDir, 'decode');
  const listFiles = (sets: string[]) =>
    sets.flatMap((s) => ['images.scp', 'references'].map((f) => join(existsSync(join(corpus, s)) ? join(corpus, s) : s, f))).filter((f) => existsSync(f));
  const evalSets = (): Record<string, ImageSet> =>
    Object.fromEntries([...cfg.decode.evalSets, ...cfg.data.extraSets].map((s) => [setName(s), readImageSet(corpus, s)]));
  const m = cfg.model;
  const summary =
    `Model: ${m.imageSize}×${m.imageSize} input${m.cnn.spaceToDepth ? ' (space-to-depth)' : ''}, CNN ${m.cnn.channels.join('-')} ` +
    `(${m.cnn.kernelSize}×${m.cnn.kernelSize}${m.cnn.coordinates ? ', coordinates' : ''}${m.cnn.layerNorm ? ', layer norm' : ''}), ` +
    `${m.cell.toUpperCase()} decoder H=${m.hiddenSize}, E=${m.embeddingSize}, attention ${m.attention}; ` +
    `decoding ${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'}.`;

  await runStages(
    [
      {
        n: 1,
        name: 'prepare (corpus)',
        config: { corpus, evalSets: cfg.decode.evalSets },
        inputs: () => listFiles(['train', ...cfg.decode.evalSets]),
        run: () => {
          if (!existsSync(join(corpus, 'train', 'images.scp'))) {
            console.log(`  ${corpus} has no train set: generating it`);
            generate({ out: corpus, counts: { train: 2000, dev: 300, test: 300 }, seed: 1 });
          }
          for (const s of ['train', ...cfg.decode.evalSets]) {
            const set = readImageSet(corpus, s);
            console.log(`  ${s}: ${set.ids.length} images, ${set.references.flat().length} references`);
          }
        },
      },
      {
        n: 2,
        name: `train (CNN + ${m.cell.toUpperCase()} decoder, attention ${m.attention})`,
        config: { model: cfg.model, augment: cfg.augment, train: cfg.train },
        resumeWith: { model: cfg.model, augment: cfg.augment, train: { ...cfg.train, epochs: null } }, // more epochs continue
        inputs: () => listFiles(['train', 'dev']),
        done: () => existsSync(join(modelDir, 'weights.safetensors')),
        // a training of other settings or data is never resumed as this one
        clean: () => [join(expDir, 'train'), modelDir, join(expDir, 'train-history.json')].forEach((p) => rmSync(p, { recursive: true, force: true })),
        run: () => {
          if (args.force && !args.resume) rmSync(join(expDir, 'train'), { recursive: true, force: true }); // --force: train from scratch
          return trainStage({ cfg, train: readImageSet(corpus, 'train'), dev: readImageSet(corpus, 'dev'), expDir, resume: args.resume });
        },
      },
      {
        n: 3,
        name: `decode (${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'})`,
        config: { decode: cfg.decode, extraSets: cfg.data.extraSets },
        inputs: () => listFiles(cfg.data.extraSets),
        done: () => Object.keys(evalSets()).every((s) => existsSync(join(decodeDir, s, 'hyp.txt'))),
        run: () => decodeSets({ modelDir, decodeDir, sets: evalSets(), beam: cfg.decode.beam }),
      },
      {
        n: 4,
        name: 'score (BLEU-4, exact match)',
        run: () => scoreSets({ expDir, decodeDir, sets: evalSets(), summary }),
      },
      {
        n: 5,
        name: 'demo (captions and attention of a few test images)',
        run: () => {
          const captioner = loadCaptioner(modelDir);
          const set = readImageSet(corpus, cfg.decode.evalSets[cfg.decode.evalSets.length - 1]);
          const paths = set.paths.slice(0, cfg.decode.demoImages);
          const out = captioner.captionFiles(paths, { beamWidth: cfg.decode.beam });
          out.forEach((r, i) => console.log(`  ${r.path}\t${r.caption?.text ?? r.error}\t(references: ${set.references[i].join(' | ')})`));
          writeJsonAtomic(join(expDir, 'demo-attention.json'), out.map((r) => ({ path: r.path, ...r.caption })));
          captioner.dispose();
        },
      },
      {
        n: 6,
        name: 'plots and report (training curves, attention over the image grid)',
        run: () =>
          drawReport({
            expDir,
            modelDir,
            set: readImageSet(corpus, cfg.decode.evalSets[cfg.decode.evalSets.length - 1]),
            count: cfg.decode.demoImages,
            beam: cfg.decode.beam,
            config: cfg,
          }),
      },
    ],
    args,
  );
}
