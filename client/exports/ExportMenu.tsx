import { useState } from 'react';
import type { DocumentAbilities as Abilities } from '../../shared/roles.js';
import { useI18n } from '../i18n';
import { exportLinks } from './api';
import { ImportDialog } from './ImportDialog';
import { exportStrings } from './strings';
import './exports.css';

export interface ExportMenuProps {
  documentId: string;
  /** The section in view: offers "this section" too. */
  sectionId?: string | null;
  abilities: Abilities | null;
}

/**
 * The "Export" menu of the document header: Word with tracked changes or clean, one section, the
 * compilation (Word, or a print-ready page), Akoma Ntoso; and "Import Word amendments" for those who
 * may table amendments. The server decides what each file holds for this reader.
 */
export function ExportMenu({ documentId, sectionId, abilities }: ExportMenuProps) {
  const { language } = useI18n();
  const s = exportStrings(language);
  const links = exportLinks(documentId, sectionId);
  const [importing, setImporting] = useState(false);
  const canImport = Boolean(abilities?.import);
  return (
    <>
      <details className="export-menu" data-testid="export-menu">
        <summary className="button button--small" aria-label={s('menuLabel')}>
          {s('menu')}
        </summary>
        <ul className="export-menu__panel">
          <li>
            <a href={links.tracked} download data-testid="export-tracked">
              {s('tracked')}
            </a>
          </li>
          <li>
            <a href={links.circulation} download data-testid="export-circulation">
              {s('circulation')}
            </a>
          </li>
          <li>
            <a href={links.clean} download data-testid="export-clean">
              {s('clean')}
            </a>
          </li>
          {links.section && (
            <li>
              <a href={links.section} download data-testid="export-section">
                {s('sectionTracked')}
              </a>
            </li>
          )}
          <li>
            <a href={links.compilationDocx} download data-testid="export-compilation-docx">
              {s('compilationDocx')}
            </a>
          </li>
          <li>
            <a href={links.compilationHtml} target="_blank" rel="noopener" data-testid="export-compilation-html">
              {s('compilationHtml')}
            </a>
          </li>
          <li>
            <a href={links.akn} download data-testid="export-akn">
              {s('akn')}
            </a>
          </li>
          {canImport && (
            <li className="export-menu__import">
              <button
                type="button"
                className="export-menu__action"
                onClick={() => setImporting(true)}
                data-testid="import-open"
              >
                {s('import')}
              </button>
            </li>
          )}
        </ul>
      </details>
      {importing && <ImportDialog documentId={documentId} onClose={() => setImporting(false)} />}
    </>
  );
}

export default ExportMenu;
