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

// The admin pages in the header, beside the account link, for admins only: Chainlit's
// header links are the same for everyone. Asked once per login; put back whenever the
// page redraws its header.
(() => {
  let asked = false;
  let admin = false;
  const place = () => {
    if (!admin || document.querySelector("a[data-kbchat-admin]")) return;
    const account = document.querySelector('a[href="/kbchat/account/password"]');
    if (!account) return;
    const link = account.cloneNode(true);
    link.setAttribute("href", "/kbchat/admin");
    link.setAttribute("data-kbchat-admin", "");
    link.querySelector("img")?.setAttribute("src", "/kbchat/static/admin.svg");
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.textContent.trim()) {
        walker.currentNode.textContent = "管理 Admin";
        break;
      }
    }
    account.parentElement.insertBefore(link, account);
  };
  setInterval(async () => {
    if (location.pathname.endsWith("/login")) {
      asked = admin = false;
      return;
    }
    if (!asked) {
      asked = true;
      const response = await fetch("/kbchat/account/links.json");
      admin = response.ok && (await response.json()).admin === true;
    }
    place();
  }, 500);
})();
