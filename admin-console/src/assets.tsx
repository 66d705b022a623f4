import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import { useMediaQuery, type Theme } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, SimpleList, TextField } from 'react-admin';
import { formatBytes } from './Dashboard';
import { BulkDeleteConfirmButton, ConfirmDeleteButton } from './delete-button';
import { PersonLink, userPicker } from './people';
import { useCan } from './permissions';
import type { Asset } from './types';

const Preview = ({ asset }: { asset: Asset }) =>
  asset.mimeType.startsWith('image/') ? (
    <a href={asset.url} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()}>
      <img src={asset.url} alt={asset.fileName} style={{ maxHeight: 56, maxWidth: 96 }} />
    </a>
  ) : (
    <PictureAsPdfIcon color="action" />
  );

/** Every user's assets (assets:read): previews, owner filter, delete and bulk delete (assets:delete). */
export function AssetList() {
  const can = useCan();
  const canDelete = can('assets:delete');
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List
      filters={[userPicker('ownerId', 'Owner', can('users:read'))]}
      exporter={false}
      perPage={25}
      sort={{ field: 'createdAt', order: 'DESC' }}
    >
      {narrow ? (
        <SimpleList
          linkType={false}
          leftAvatar={(a: Asset) => <Preview asset={a} />}
          primaryText={(a: Asset) => a.fileName}
          secondaryText={(a: Asset) => <PersonLink person={a.owner} id={a.ownerId} />}
          tertiaryText={(a: Asset) => formatBytes(a.bytes)}
        />
      ) : (
        <Datagrid
          rowClick={false}
          bulkActionButtons={
            canDelete ? <BulkDeleteConfirmButton noun={['file', 'files']} /> : false
          }
        >
          <FunctionField label="Preview" render={(a: Asset) => <Preview asset={a} />} />
          <TextField source="fileName" sortable={false} />
          <TextField source="mimeType" sortable={false} />
          <FunctionField label="Size" render={(a: Asset) => formatBytes(a.bytes)} />
          <FunctionField
            label="Owner"
            render={(a: Asset) => <PersonLink person={a.owner} id={a.ownerId} />}
          />
          <DateField source="createdAt" showTime sortable={false} />
          {canDelete && (
            <FunctionField
              label=""
              render={(a: Asset) => (
                <ConfirmDeleteButton
                  title={`Delete ${a.fileName}?`}
                  content="It is removed from storage too."
                  done={`${a.fileName} deleted`}
                />
              )}
            />
          )}
        </Datagrid>
      )}
    </List>
  );
}
