import { useEffect, useState } from 'react';
import { api } from '../api/client';

/** The document's symbol in the header, with the name of the view below it (desk, versions, audit). */
export function DocHeading({ documentId, view }: { documentId: string; view: string }) {
  const [symbol, setSymbol] = useState('');
  useEffect(() => {
    let cancelled = false;
    api
      .document(documentId)
      .then((d) => {
        if (!cancelled) setSymbol(d.symbol);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [documentId]);
  return (
    <div className="doc-heading">
      <span className="doc-heading__symbol" data-testid="document-symbol">
        {symbol}
      </span>
      <span className="doc-heading__title">{view}</span>
    </div>
  );
}
