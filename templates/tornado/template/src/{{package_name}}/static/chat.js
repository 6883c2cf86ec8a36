// The chat: one WebSocket to /chat; every message the server relays is shown.
"use strict";

(() => {
  const section = document.getElementById("chat");
  const messages = document.getElementById("messages");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("message");
  const status = document.getElementById("status");
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${window.location.host}${section.dataset.url}`;
  let socket = null;
  let retryDelay = 1000;

  function show(name, text) {
    const item = document.createElement("li");
    const sender = document.createElement("strong");
    sender.textContent = `${name}: `;
    item.append(sender, text); // text nodes: never parsed as HTML
    messages.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function connect() {
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      status.textContent = "Connected.";
      retryDelay = 1000;
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      show(message.name, message.text);
    });
    socket.addEventListener("close", () => {
      // Reconnect with backoff (server restart, deploy, network change).
      status.textContent = "Disconnected; reconnecting…";
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text && socket.readyState === WebSocket.OPEN) {
      socket.send(text);
      input.value = "";
    }
  });

  connect();
})();
