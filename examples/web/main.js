// The demo page: the annyeong recogniser and the toy-translation model, both fetched from model
// directories and run in the page by the browser bundle (one import: sori with TensorFlow.js).
import { fetchRecognizer, fetchTranslator, initBackend, loadAudio, resample } from '../../dist/browser/sori.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const asrUrl = new URL(params.get('asr') ?? '../../exp/annyeong/model/', location.href);
const mtUrl = new URL(params.get('mt') ?? '../../exp/toy-translation/model/', location.href);
$('asr-url').textContent = asrUrl.href;
$('mt-url').textContent = mtUrl.href;

function status(text, state) {
  $('status').textContent = text;
  $('status').className = state === 'error' ? 'error' : '';
  $('status').dataset.state = state;
}

const backend = await initBackend();
status(`backend: ${backend.name}; loading the models…`, 'loading');
const [asr, mt] = await Promise.allSettled([fetchRecognizer(asrUrl), fetchTranslator(mtUrl)]);
const recognizer = asr.status === 'fulfilled' ? asr.value : null;
const translator = mt.status === 'fulfilled' ? mt.value : null;
const missing = [
  recognizer ? '' : `speech model: ${asr.reason.message} (train it with \`npm run demo\`)`,
  translator ? '' : `translation model: ${mt.reason.message} (train it with \`npm run recipe -- toy-translation\`)`,
].filter(Boolean);
status(missing.length ? missing.join('; ') : `ready (backend: ${backend.name})`, missing.length ? 'error' : 'ready');

// ---- speech: a dropped or chosen WAV file, or a recording ----
async function transcribe(samples) {
  $('transcript').textContent = '…';
  await new Promise(requestAnimationFrame); // let the page show it before the model runs
  $('transcript').textContent = recognizer.transcribe(samples);
}

async function transcribeFile(file) {
  try {
    const { samples } = await loadAudio(file, { sampleRate: recognizer.sampleRate });
    await transcribe(samples);
  } catch (err) {
    $('transcript').textContent = err.message;
  }
}

if (recognizer) {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => (e.preventDefault(), drop.classList.add('over')));
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) transcribeFile(e.dataTransfer.files[0]);
  });
  $('file').addEventListener('change', (e) => e.target.files[0] && transcribeFile(e.target.files[0]));
  $('record').disabled = !navigator.mediaDevices?.getUserMedia;
}

let recording = null;
$('record').addEventListener('click', async () => {
  if (!recording) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const tap = context.createScriptProcessor(4096, 1, 1); // mono Float32 chunks as they come
    const chunks = [];
    tap.onaudioprocess = (e) => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    source.connect(tap);
    tap.connect(context.destination);
    recording = { stream, context, tap, chunks };
    $('record').textContent = 'stop';
    return;
  }
  const { stream, context, tap, chunks } = recording;
  recording = null;
  $('record').textContent = 'record';
  tap.disconnect();
  stream.getTracks().forEach((t) => t.stop());
  await context.close();
  const samples = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (samples.set(c, at), at + c.length), 0);
  await transcribe(await resample(samples, context.sampleRate, recognizer.sampleRate));
});

// ---- translation, with the attention weights as a heat map ----
function heatMap({ sourceTokens, targetTokens, attention }) {
  const table = $('attention');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.appendChild(document.createElement('th'));
  for (const s of sourceTokens) head.appendChild(Object.assign(document.createElement('th'), { textContent: s }));
  const body = table.createTBody();
  targetTokens.forEach((t, u) => {
    const row = body.insertRow();
    row.appendChild(Object.assign(document.createElement('th'), { textContent: t, scope: 'row' }));
    attention[u].forEach((a, i) => {
      const cell = row.insertCell();
      cell.style.background = `rgba(30, 90, 200, ${a})`;
      cell.style.color = a > 0.5 ? '#fff' : '#333';
      cell.textContent = a >= 0.05 ? a.toFixed(2) : '';
      cell.title = `${t} ← ${sourceTokens[i]}: ${a.toFixed(3)}`;
    });
  });
}

if (translator) {
  $('translate').disabled = false;
  $('translate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const [result] = translator.translate([$('source').value]);
    $('translation').textContent = result.text;
    heatMap(result);
  });
}
