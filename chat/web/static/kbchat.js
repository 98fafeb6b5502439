// kbchat's addition to Chainlit's page (served at /kbchat/static/kbchat.js).
//
// Chainlit fetches its UI strings once, when the page loads. On the login page nobody is
// logged in yet, so they come in the browser's language; a user who chose the other one
// (the 中文 / English page, kept with the account) would see the chat in the wrong language
// until a reload. So after a login on this page, ask which language the user chose, and
// load the page again, once, when it is not the one shown.
(() => {
  const atLogin = () => location.pathname.endsWith("/login");
  let cameFromLogin = atLogin();
  setInterval(async () => {
    if (atLogin()) {
      cameFromLogin = true;
      return;
    }
    if (!cameFromLogin) return;
    cameFromLogin = false;
    const asked = encodeURIComponent(navigator.language || "");
    const response = await fetch(`/kbchat/account/language.json?browser=${asked}`);
    if (!response.ok) return;
    const { chosen, shown } = await response.json();
    if (chosen && chosen !== shown) location.reload();
  }, 300);
})();

// A chat's address that is not the user's (or not there): Chainlit refuses to open it and
// says only that it cannot reach the server. Ask kbchat, which says what it is.
(() => {
  const chat = location.pathname.match(/^\/thread\/([0-9a-fA-F-]{36})$/);
  if (!chat) return;
  fetch(`/project/thread/${chat[1]}`).then(async (thread) => {
    if (thread.ok || !(await fetch("/user")).ok) return;
    location.replace(`/kbchat/threads/${chat[1]}`);
  });
})();
