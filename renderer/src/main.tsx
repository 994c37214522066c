import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api';
import { App } from './components/App';
import { ConnectionFailed } from './components/common/ConnectionFailed';
import { browserPlatform } from './lib/platform';
import { createStudioStore, followConnection, loadStudio, type StudioStore } from './store';
import { StudioContext } from './store/react';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

try {
  let store: StudioStore | undefined;
  const api = await connectApi((status) => store && void followConnection(store, status));
  store = createStudioStore({ api, platform: browserPlatform });
  root.render(
    <StrictMode>
      <StudioContext.Provider value={store}>
        <App />
      </StudioContext.Provider>
    </StrictMode>,
  );
  await loadStudio(store);
} catch (error) {
  root.render(<ConnectionFailed reason={error instanceof Error ? error.message : String(error)} />);
}
