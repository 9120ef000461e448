// Every test file runs on the backend SORI_BACKEND names (default: the fastest that loads).
import { initBackend } from '../src/backend/init.ts';

await initBackend();
