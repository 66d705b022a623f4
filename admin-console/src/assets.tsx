import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import {
  BulkDeleteButton,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  ReferenceField,
  TextField,
  TextInput,
} from 'react-admin';
import { formatBytes } from './Dashboard';
import { useCan } from './permissions';
import { useReportError } from './report-error';
import type { Asset } from './types';

const filters = [<TextInput key="ownerId" source="ownerId" label="Owner id" alwaysOn />];

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
  const report = useReportError();
  const canDelete = can('assets:delete');
  return (
    <List
      filters={filters}
      exporter={false}
      perPage={25}
      sort={{ field: 'createdAt', order: 'DESC' }}
    >
      <Datagrid
        rowClick={false}
        bulkActionButtons={
          canDelete ? (
            <BulkDeleteButton mutationMode="pessimistic" mutationOptions={{ onError: report }} />
          ) : (
            false
          )
        }
      >
        <FunctionField label="Preview" render={(a: Asset) => <Preview asset={a} />} />
        <TextField source="fileName" sortable={false} />
        <TextField source="mimeType" sortable={false} />
        <FunctionField label="Size" render={(a: Asset) => formatBytes(a.bytes)} />
        {can('users:read') ? (
          <ReferenceField source="ownerId" reference="users" link="show" sortable={false} />
        ) : (
          <TextField source="ownerId" sortable={false} />
        )}
        <DateField source="createdAt" showTime sortable={false} />
        {canDelete && (
          <DeleteWithConfirmButton
            confirmTitle="Delete this file?"
            confirmContent="It is removed from storage too."
            mutationOptions={{ onError: report }}
          />
        )}
      </Datagrid>
    </List>
  );
}
