// Every test file runs on the Bot Framework SDK as the server loads it: native async code (src/bot/nativeAsync.ts).
import '../src/bot/useNativeAsync.js';
