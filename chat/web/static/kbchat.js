// kbchat's additions to Chainlit's page (served at /kbchat/static/kbchat.js).

// After a login on this page (and on a page opened already logged in), two things Chainlit
// cannot do by itself, asked once per login:
// - Chainlit fetches its UI strings once, when the page loads. On the login page nobody is
//   logged in yet, so they come in the browser's language; a user who chose the other one
//   (the 中文 / English page, kept with the account) would see the chat in the wrong
//   language until a reload. So load the page again, once, when it is not the one shown.
// - The admin pages in the header, beside the account link, for admins only: Chainlit's
//   header links are the same for everyone. Put back whenever the page redraws its header.
(() => {
  const atLogin = () => location.pathname.endsWith("/login");
  let cameFromLogin = atLogin();
  let asked = false;
  let admin = false;
  const placeAdminLink = () => {
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
  const afterLogin = async () => {
    if (cameFromLogin) {
      const browser = encodeURIComponent(navigator.language || "");
      const language = await fetch(`/kbchat/account/language.json?browser=${browser}`);
      if (language.ok) {
        const { chosen, shown } = await language.json();
        if (chosen && chosen !== shown) {
          location.reload();
          return;
        }
      }
    }
    const links = await fetch("/kbchat/account/links.json");
    admin = links.ok && (await links.json()).admin === true;
  };
  setInterval(async () => {
    if (atLogin()) {
      cameFromLogin = true;
      asked = admin = false;
      return;
    }
    if (!asked) {
      asked = true;
      await afterLogin();
      cameFromLogin = false;
    }
    placeAdminLink();
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
