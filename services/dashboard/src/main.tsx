import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { finishSignIn } from './auth/sso';
import { readStoredToken, takeTokenFromFragment } from './auth/token-store';
import './styles.css';

// Before the first render: the fragment leaves the address bar at once, whatever React does next.
const initialToken = takeTokenFromFragment() ?? readStoredToken();
// Back from the OpenID Provider (`?code=…`): the code is exchanged before anything is shown.
const ssoSignIn = finishSignIn();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App initialToken={initialToken} ssoSignIn={ssoSignIn} />
  </StrictMode>,
);
