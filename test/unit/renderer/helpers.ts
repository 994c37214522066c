import { createStudioStore, loadStudio } from '../../../renderer/src/store';
import { FakeMain, testPlatform } from './fake-api';

/** A loaded store over a fresh fake main. */
export async function studioWithFakeMain(prepare?: (main: FakeMain) => void) {
  const main = new FakeMain();
  prepare?.(main);
  const { platform, downloads, copied } = testPlatform();
  const store = createStudioStore({ api: main.api, platform });
  await loadStudio(store);
  return { main, store, state: () => store.getState(), downloads, copied };
}

export function lastNotice(state: { workspace: { notices: { message: string }[] } }): string | undefined {
  return state.workspace.notices.at(-1)?.message;
}
