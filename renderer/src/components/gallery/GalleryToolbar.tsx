import { plural } from '../../lib/format';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';
import { Icon, type IconName } from '../common/Icon';
import { SearchField } from '../common/SearchField';
import { MORE_LIKE_THIS_HINT, MORE_LIKE_THIS_LABEL } from '../queue/QueuePanel';

/** Search, the favourites filter, and the actions on the selected images. */
export function GalleryToolbar() {
  const getState = useStudioGetter();
  const { search, favouritesOnly, total, selected } = useStudioShallow((state) => ({
    search: state.gallery.search,
    favouritesOnly: state.gallery.favouritesOnly,
    total: state.gallery.total,
    selected: state.gallery.selected,
  }));
  const isElectron = useStudio((state) => state.settings.state?.runtime.host === 'electron');
  const single = useStudio((state) => (state.gallery.selected.length === 1 ? state.gallery.findItem(state.gallery.selected[0]!) : undefined));
  const gallery = () => getState().gallery;

  return (
    <div className="toolbar gallery-toolbar">
      <SearchField label="Search gallery" value={search} onSearch={(text) => gallery().setSearch(text)} />
      <button
        type="button"
        className="button button-toggle"
        aria-pressed={favouritesOnly}
        onClick={() => void gallery().setFavouritesOnly(!favouritesOnly)}
      >
        <Icon name="star" size={14} />
        <span className="toolbar-label">Favourites only</span>
      </button>
      <span className="muted small toolbar-count">
        {selected.length > 0 ? `${selected.length} of ${plural(total, 'image')} selected` : plural(total, 'image')}
      </span>
      <div className="toolbar-actions">
        <ToolbarButton icon="variations" label="Variations" disabled={!single || single.missing} onClick={() => single && getState().variations.open(single)} />
        <ToolbarButton
          icon="queue"
          label={MORE_LIKE_THIS_LABEL}
          iconOnly
          hint={MORE_LIKE_THIS_HINT}
          disabled={single?.parameters.kind !== 'generate'}
          onClick={() => single && void getState().queue.moreLikeThis(single)}
        />
        <ToolbarButton icon="info" label="Open in inspector" iconOnly disabled={!single} onClick={() => single && void getState().inspector.open(single.id)} />
        <ToolbarButton icon="edit" label="Open in editor" iconOnly disabled={!single} onClick={() => single && getState().editor.openImage(single)} />
        <ToolbarButton icon="extend" label="Extend" iconOnly disabled={!single || single.missing} onClick={() => single && getState().extending.open(single)} />
        <ToolbarButton icon="reuse" label="Use these settings" iconOnly disabled={!single} onClick={() => single && void gallery().useSettings(single)} />
        <ToolbarButton icon="copy" label="Copy prompt" iconOnly disabled={!single} onClick={() => single && void gallery().copyPrompt(single)} />
        <ToolbarButton icon="image" label="Copy image" iconOnly disabled={!single} onClick={() => single && void gallery().copyImage(single)} />
        {isElectron && (
          <ToolbarButton icon="folder" label="Reveal in folder" iconOnly disabled={!single} onClick={() => single && void gallery().reveal(single)} />
        )}
        <ToolbarButton icon="export" label="Export" disabled={selected.length === 0} onClick={() => getState().exporting.openDialog(selected)} />
        <ToolbarButton icon="trash" label="Delete" disabled={selected.length === 0} onClick={() => void gallery().trash(selected)} />
      </div>
    </div>
  );
}

interface ToolbarButtonProps {
  icon: IconName;
  label: string;
  /** Secondary actions show only their icon, named for assistive technology and in a tooltip. */
  iconOnly?: boolean;
  /** The tooltip, when it says more than the label. */
  hint?: string;
  disabled: boolean;
  onClick(): void;
}

function ToolbarButton({ icon, label, iconOnly = false, hint, disabled, onClick }: ToolbarButtonProps) {
  return (
    <button
      type="button"
      className={iconOnly ? 'icon-button toolbar-icon' : 'button button-quiet'}
      disabled={disabled}
      onClick={onClick}
      title={hint ?? label}
      aria-label={iconOnly ? label : undefined}
    >
      <Icon name={icon} />
      {!iconOnly && <span className="toolbar-label">{label}</span>}
    </button>
  );
}
