import { installNativeAsync } from './nativeAsync.js';

// Imported first by src/index.ts: the Bot Framework SDK must load after this hook is in place (src/bot/nativeAsync.ts).
installNativeAsync();
