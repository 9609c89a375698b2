import { execFileSync } from 'node:child_process';

/** Black-box tests run the server as `npm start` does: from the compiled `dist/`, built once here. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
