/** Gallery tiles dragged within the page (onto a board) carry their image ids under this type. */
export const GALLERY_IDS_TYPE = 'application/x-parti-image-ids';

export function setDraggedImageIds(dataTransfer: DataTransfer, ids: readonly string[]): void {
  dataTransfer.setData(GALLERY_IDS_TYPE, JSON.stringify(ids));
  dataTransfer.effectAllowed = 'copy';
}

/** The ids a drop carries; none for anything else dropped (files, text, another page's drag). */
export function draggedImageIds(dataTransfer: DataTransfer): string[] {
  try {
    const ids: unknown = JSON.parse(dataTransfer.getData(GALLERY_IDS_TYPE) || '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
