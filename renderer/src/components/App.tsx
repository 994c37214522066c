import { exportDialogOpen } from '../store/export';
import { useStudio } from '../store/react';
import { ConnectionBanner } from './common/ConnectionBanner';
import { DropOverlay } from './common/DropOverlay';
import { ModelBanner } from './common/ModelBanner';
import { Notices } from './common/Notices';
import { SkipLinks } from './common/SkipLinks';
import { useGlobalShortcuts } from './common/useGlobalShortcuts';
import { EditorView } from './editor/EditorView';
import { ExportDialog } from './gallery/ExportDialog';
import { ExtendView } from './extend/ExtendView';
import { VariationsDialog } from './gallery/VariationsDialog';
import { Gallery } from './gallery/Gallery';
import { CandidatesPanel } from './generation/CandidatesPanel';
import { Header } from './Header';
import { Inspector } from './inspector/Inspector';
import { PromptPanel } from './prompt/PromptPanel';
import { SettingsView } from './settings/SettingsView';

export function App() {
  const view = useStudio((state) => state.workspace.view);
  const inspecting = useStudio((state) => state.inspector.details !== null);
  // A modal dialog hides the rest from assistive technology and from the pointer.
  const modalOpen = useStudio((state) => exportDialogOpen(state) || state.variations.source !== null);
  useGlobalShortcuts();

  return (
    <>
      <div className="app" inert={modalOpen} aria-hidden={modalOpen || undefined}>
        <SkipLinks />
        <Header />
        <div className={view === 'settings' ? 'workspace workspace-full' : 'workspace'}>
          {view !== 'settings' && <PromptPanel />}
          <main className="main">
            <ConnectionBanner />
            {view !== 'settings' && <ModelBanner />}
            {view === 'studio' && (
              <>
                {/* The inspector covers the run and the gallery, which keep their place underneath. */}
                <div className="studio-column" inert={inspecting} aria-hidden={inspecting || undefined}>
                  <CandidatesPanel place="studio" />
                  <Gallery />
                </div>
                <Inspector />
              </>
            )}
            {view === 'editor' && <EditorView />}
            {view === 'extend' && <ExtendView />}
            {view === 'settings' && <SettingsView />}
          </main>
        </div>
        <DropOverlay />
      </div>
      <ExportDialog />
      <VariationsDialog />
      <Notices />
    </>
  );
}
