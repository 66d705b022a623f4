import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import { useGetIdentity, useLogout } from 'react-admin';

/** For a signed-in account without any admin permission: say so plainly, offer to sign out. */
export function NoAccess() {
  const logout = useLogout();
  const { identity } = useGetIdentity();
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', mt: 8 }}>
      <Card sx={{ maxWidth: 480 }} data-testid="no-access">
        <CardContent>
          <Typography variant="h5" gutterBottom>
            No access
          </Typography>
          <Typography gutterBottom>
            You are signed in{identity?.fullName ? ` as ${identity.fullName}` : ''}, but your role
            has none of the admin permissions, so there is nothing here for you. Ask an
            administrator to give you a role with the permissions you need.
          </Typography>
          <Button variant="contained" onClick={() => logout()} sx={{ mt: 2 }}>
            Sign out
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}
