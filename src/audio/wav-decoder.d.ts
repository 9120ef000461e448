// Types for wav-decoder 1.3 (the package ships none): only what src/audio/wav.ts uses.
declare module 'wav-decoder' {
  interface AudioData {
    sampleRate: number;
    length: number;
    numberOfChannels: number;
    channelData: Float32Array[];
  }
  interface Decode {
    (buffer: ArrayBuffer, opts?: { symmetric?: boolean }): Promise<AudioData>;
    sync(buffer: ArrayBuffer, opts?: { symmetric?: boolean }): AudioData;
  }
  const wavDecoder: { decode: Decode };
  export default wavDecoder;
}
