package io.jlockdep.scenarios;

import java.util.concurrent.locks.ReentrantLock;

/** 512 allocation sites, one per line: a lock class each under the agent (for programs that need many classes). Generated. */
final class LockSites {

    private LockSites() {}

    static ReentrantLock make(int site) {
        switch (site) {
            case 0:
                return new ReentrantLock();
            case 1:
                return new ReentrantLock();
            case 2:
                return new ReentrantLock();
            case 3:
                return new ReentrantLock();
            case 4:
                return new ReentrantLock();
            case 5:
                return new ReentrantLock();
            case 6:
                return new ReentrantLock();
            case 7:
                return new ReentrantLock();
            case 8:
                return new ReentrantLock();
            case 9:
                return new ReentrantLock();
            case 10:
                return new ReentrantLock();
            case 11:
                return new ReentrantLock();
            case 12:
                return new ReentrantLock();
            case 13:
                return new ReentrantLock();
            case 14:
                return new ReentrantLock();
            case 15:
                return new ReentrantLock();
            case 16:
                return new ReentrantLock();
            case 17:
                return new ReentrantLock();
            case 18:
                return new ReentrantLock();
            case 19:
                return new ReentrantLock();
            case 20:
                return new ReentrantLock();
            case 21:
                return new ReentrantLock();
            case 22:
                return new ReentrantLock();
            case 23:
                return new ReentrantLock();
            case 24:
                return new ReentrantLock();
            case 25:
                return new ReentrantLock();
            case 26:
                return new ReentrantLock();
            case 27:
                return new ReentrantLock();
            case 28:
                return new ReentrantLock();
            case 29:
                return new ReentrantLock();
            case 30:
                return new ReentrantLock();
            case 31:
                return new ReentrantLock();
            case 32:
                return new ReentrantLock();
            case 33:
                return new ReentrantLock();
            case 34:
                return new ReentrantLock();
            case 35:
                return new ReentrantLock();
            case 36:
                return new ReentrantLock();
            case 37:
                return new ReentrantLock();
            case 38:
                return new ReentrantLock();
            case 39:
                return new ReentrantLock();
            case 40:
                return new ReentrantLock();
            case 41:
                return new ReentrantLock();
            case 42:
                return new ReentrantLock();
            case 43:
                return new ReentrantLock();
            case 44:
                return new ReentrantLock();
            case 45:
                return new ReentrantLock();
            case 46:
                return new ReentrantLock();
            case 47:
                return new ReentrantLock();
            case 48:
                return new ReentrantLock();
            case 49:
                return new ReentrantLock();
            case 50:
                return new ReentrantLock();
            case 51:
                return new ReentrantLock();
            case 52:
                return new ReentrantLock();
            case 53:
                return new ReentrantLock();
            case 54:
                return new ReentrantLock();
            case 55:
                return new ReentrantLock();
            case 56:
                return new ReentrantLock();
            case 57:
                return new ReentrantLock();
            case 58:
                return new ReentrantLock();
            case 59:
                return new ReentrantLock();
            case 60:
                return new ReentrantLock();
            case 61:
                return new ReentrantLock();
            case 62:
                return new ReentrantLock();
            case 63:
                return new ReentrantLock();
            case 64:
                return new ReentrantLock();
            case 65:
                return new ReentrantLock();
            case 66:
                return new ReentrantLock();
            case 67:
                return new ReentrantLock();
            case 68:
                return new ReentrantLock();
            case 69:
                return new ReentrantLock();
            case 70:
                return new ReentrantLock();
            case 71:
                return new ReentrantLock();
            case 72:
                return new ReentrantLock();
            case 73:
                return new ReentrantLock();
            case 74:
                return new ReentrantLock();
            case 75:
                return new ReentrantLock();
            case 76:
                return new ReentrantLock();
            case 77:
                return new ReentrantLock();
            case 78:
                return new ReentrantLock();
            case 79:
                return new ReentrantLock();
            case 80:
                return new ReentrantLock();
            case 81:
                return new ReentrantLock();
            case 82:
                return new ReentrantLock();
            case 83:
                return new ReentrantLock();
            case 84:
                return new ReentrantLock();
            case 85:
                return new ReentrantLock();
            case 86:
                return new ReentrantLock();
            case 87:
                return new ReentrantLock();
            case 88:
                return new ReentrantLock();
            case 89:
                return new ReentrantLock();
            case 90:
                return new ReentrantLock();
            case 91:
                return new ReentrantLock();
            case 92:
                return new ReentrantLock();
            case 93:
                return new ReentrantLock();
            case 94:
                return new ReentrantLock();
            case 95:
                return new ReentrantLock();
            case 96:
                return new ReentrantLock();
            case 97:
                return new ReentrantLock();
            case 98:
                return new ReentrantLock();
            case 99:
                return new ReentrantLock();
            case 100:
                return new ReentrantLock();
            case 101:
                return new ReentrantLock();
            case 102:
                return new ReentrantLock();
            case 103:
                return new ReentrantLock();
            case 104:
                return new ReentrantLock();
            case 105:
                return new ReentrantLock();
            case 106:
                return new ReentrantLock();
            case 107:
                return new ReentrantLock();
            case 108:
                return new ReentrantLock();
            case 109:
                return new ReentrantLock();
            case 110:
                return new ReentrantLock();
            case 111:
                return new ReentrantLock();
            case 112:
                return new ReentrantLock();
            case 113:
                return new ReentrantLock();
            case 114:
                return new ReentrantLock();
            case 115:
                return new ReentrantLock();
            case 116:
                return new ReentrantLock();
            case 117:
                return new ReentrantLock();
            case 118:
                return new ReentrantLock();
            case 119:
                return new ReentrantLock();
            case 120:
                return new ReentrantLock();
            case 121:
                return new ReentrantLock();
            case 122:
                return new ReentrantLock();
            case 123:
                return new ReentrantLock();
            case 124:
                return new ReentrantLock();
            case 125:
                return new ReentrantLock();
            case 126:
                return new ReentrantLock();
            case 127:
                return new ReentrantLock();
            case 128:
                return new ReentrantLock();
            case 129:
                return new ReentrantLock();
            case 130:
                return new ReentrantLock();
            case 131:
                return new ReentrantLock();
            case 132:
                return new ReentrantLock();
            case 133:
                return new ReentrantLock();
            case 134:
                return new ReentrantLock();
            case 135:
                return new ReentrantLock();
            case 136:
                return new ReentrantLock();
            case 137:
                return new ReentrantLock();
            case 138:
                return new ReentrantLock();
            case 139:
                return new ReentrantLock();
            case 140:
                return new ReentrantLock();
            case 141:
                return new ReentrantLock();
            case 142:
                return new ReentrantLock();
            case 143:
                return new ReentrantLock();
            case 144:
                return new ReentrantLock();
            case 145:
                return new ReentrantLock();
            case 146:
                return new ReentrantLock();
            case 147:
                return new ReentrantLock();
            case 148:
                return new ReentrantLock();
            case 149:
                return new ReentrantLock();
            case 150:
                return new ReentrantLock();
            case 151:
                return new ReentrantLock();
            case 152:
                return new ReentrantLock();
            case 153:
                return new ReentrantLock();
            case 154:
                return new ReentrantLock();
            case 155:
                return new ReentrantLock();
            case 156:
                return new ReentrantLock();
            case 157:
                return new ReentrantLock();
            case 158:
                return new ReentrantLock();
            case 159:
                return new ReentrantLock();
            case 160:
                return new ReentrantLock();
            case 161:
                return new ReentrantLock();
            case 162:
                return new ReentrantLock();
            case 163:
                return new ReentrantLock();
            case 164:
                return new ReentrantLock();
            case 165:
                return new ReentrantLock();
            case 166:
                return new ReentrantLock();
            case 167:
                return new ReentrantLock();
            case 168:
                return new ReentrantLock();
            case 169:
                return new ReentrantLock();
            case 170:
                return new ReentrantLock();
            case 171:
                return new ReentrantLock();
            case 172:
                return new ReentrantLock();
            case 173:
                return new ReentrantLock();
            case 174:
                return new ReentrantLock();
            case 175:
                return new ReentrantLock();
            case 176:
                return new ReentrantLock();
            case 177:
                return new ReentrantLock();
            case 178:
                return new ReentrantLock();
            case 179:
                return new ReentrantLock();
            case 180:
                return new ReentrantLock();
            case 181:
                return new ReentrantLock();
            case 182:
                return new ReentrantLock();
            case 183:
                return new ReentrantLock();
            case 184:
                return new ReentrantLock();
            case 185:
                return new ReentrantLock();
            case 186:
                return new ReentrantLock();
            case 187:
                return new ReentrantLock();
            case 188:
                return new ReentrantLock();
            case 189:
                return new ReentrantLock();
            case 190:
                return new ReentrantLock();
            case 191:
                return new ReentrantLock();
            case 192:
                return new ReentrantLock();
            case 193:
                return new ReentrantLock();
            case 194:
                return new ReentrantLock();
            case 195:
                return new ReentrantLock();
            case 196:
                return new ReentrantLock();
            case 197:
                return new ReentrantLock();
            case 198:
                return new ReentrantLock();
            case 199:
                return new ReentrantLock();
            case 200:
                return new ReentrantLock();
            case 201:
                return new ReentrantLock();
            case 202:
                return new ReentrantLock();
            case 203:
                return new ReentrantLock();
            case 204:
                return new ReentrantLock();
            case 205:
                return new ReentrantLock();
            case 206:
                return new ReentrantLock();
            case 207:
                return new ReentrantLock();
            case 208:
                return new ReentrantLock();
            case 209:
                return new ReentrantLock();
            case 210:
                return new ReentrantLock();
            case 211:
                return new ReentrantLock();
            case 212:
                return new ReentrantLock();
            case 213:
                return new ReentrantLock();
            case 214:
                return new ReentrantLock();
            case 215:
                return new ReentrantLock();
            case 216:
                return new ReentrantLock();
            case 217:
                return new ReentrantLock();
            case 218:
                return new ReentrantLock();
            case 219:
                return new ReentrantLock();
            case 220:
                return new ReentrantLock();
            case 221:
                return new ReentrantLock();
            case 222:
                return new ReentrantLock();
            case 223:
                return new ReentrantLock();
            case 224:
                return new ReentrantLock();
            case 225:
                return new ReentrantLock();
            case 226:
                return new ReentrantLock();
            case 227:
                return new ReentrantLock();
            case 228:
                return new ReentrantLock();
            case 229:
                return new ReentrantLock();
            case 230:
                return new ReentrantLock();
            case 231:
                return new ReentrantLock();
            case 232:
                return new ReentrantLock();
            case 233:
                return new ReentrantLock();
            case 234:
                return new ReentrantLock();
            case 235:
                return new ReentrantLock();
            case 236:
                return new ReentrantLock();
            case 237:
                return new ReentrantLock();
            case 238:
                return new ReentrantLock();
            case 239:
                return new ReentrantLock();
            case 240:
                return new ReentrantLock();
            case 241:
                return new ReentrantLock();
            case 242:
                return new ReentrantLock();
            case 243:
                return new ReentrantLock();
            case 244:
                return new ReentrantLock();
            case 245:
                return new ReentrantLock();
            case 246:
                return new ReentrantLock();
            case 247:
                return new ReentrantLock();
            case 248:
                return new ReentrantLock();
            case 249:
                return new ReentrantLock();
            case 250:
                return new ReentrantLock();
            case 251:
                return new ReentrantLock();
            case 252:
                return new ReentrantLock();
            case 253:
                return new ReentrantLock();
            case 254:
                return new ReentrantLock();
            case 255:
                return new ReentrantLock();
            case 256:
                return new ReentrantLock();
            case 257:
                return new ReentrantLock();
            case 258:
                return new ReentrantLock();
            case 259:
                return new ReentrantLock();
            case 260:
                return new ReentrantLock();
            case 261:
                return new ReentrantLock();
            case 262:
                return new ReentrantLock();
            case 263:
                return new ReentrantLock();
            case 264:
                return new ReentrantLock();
            case 265:
                return new ReentrantLock();
            case 266:
                return new ReentrantLock();
            case 267:
                return new ReentrantLock();
            case 268:
                return new ReentrantLock();
            case 269:
                return new ReentrantLock();
            case 270:
                return new ReentrantLock();
            case 271:
                return new ReentrantLock();
            case 272:
                return new ReentrantLock();
            case 273:
                return new ReentrantLock();
            case 274:
                return new ReentrantLock();
            case 275:
                return new ReentrantLock();
            case 276:
                return new ReentrantLock();
            case 277:
                return new ReentrantLock();
            case 278:
                return new ReentrantLock();
            case 279:
                return new ReentrantLock();
            case 280:
                return new ReentrantLock();
            case 281:
                return new ReentrantLock();
            case 282:
                return new ReentrantLock();
            case 283:
                return new ReentrantLock();
            case 284:
                return new ReentrantLock();
            case 285:
                return new ReentrantLock();
            case 286:
                return new ReentrantLock();
            case 287:
                return new ReentrantLock();
            case 288:
                return new ReentrantLock();
            case 289:
                return new ReentrantLock();
            case 290:
                return new ReentrantLock();
            case 291:
                return new ReentrantLock();
            case 292:
                return new ReentrantLock();
            case 293:
                return new ReentrantLock();
            case 294:
                return new ReentrantLock();
            case 295:
                return new ReentrantLock();
            case 296:
                return new ReentrantLock();
            case 297:
                return new ReentrantLock();
            case 298:
                return new ReentrantLock();
            case 299:
                return new ReentrantLock();
            case 300:
                return new ReentrantLock();
            case 301:
                return new ReentrantLock();
            case 302:
                return new ReentrantLock();
            case 303:
                return new ReentrantLock();
            case 304:
                return new ReentrantLock();
            case 305:
                return new ReentrantLock();
            case 306:
                return new ReentrantLock();
            case 307:
                return new ReentrantLock();
            case 308:
                return new ReentrantLock();
            case 309:
                return new ReentrantLock();
            case 310:
                return new ReentrantLock();
            case 311:
                return new ReentrantLock();
            case 312:
                return new ReentrantLock();
            case 313:
                return new ReentrantLock();
            case 314:
                return new ReentrantLock();
            case 315:
                return new ReentrantLock();
            case 316:
                return new ReentrantLock();
            case 317:
                return new ReentrantLock();
            case 318:
                return new ReentrantLock();
            case 319:
                return new ReentrantLock();
            case 320:
                return new ReentrantLock();
            case 321:
                return new ReentrantLock();
            case 322:
                return new ReentrantLock();
            case 323:
                return new ReentrantLock();
            case 324:
                return new ReentrantLock();
            case 325:
                return new ReentrantLock();
            case 326:
                return new ReentrantLock();
            case 327:
                return new ReentrantLock();
            case 328:
                return new ReentrantLock();
            case 329:
                return new ReentrantLock();
            case 330:
                return new ReentrantLock();
            case 331:
                return new ReentrantLock();
            case 332:
                return new ReentrantLock();
            case 333:
                return new ReentrantLock();
            case 334:
                return new ReentrantLock();
            case 335:
                return new ReentrantLock();
            case 336:
                return new ReentrantLock();
            case 337:
                return new ReentrantLock();
            case 338:
                return new ReentrantLock();
            case 339:
                return new ReentrantLock();
            case 340:
                return new ReentrantLock();
            case 341:
                return new ReentrantLock();
            case 342:
                return new ReentrantLock();
            case 343:
                return new ReentrantLock();
            case 344:
                return new ReentrantLock();
            case 345:
                return new ReentrantLock();
            case 346:
                return new ReentrantLock();
            case 347:
                return new ReentrantLock();
            case 348:
                return new ReentrantLock();
            case 349:
                return new ReentrantLock();
            case 350:
                return new ReentrantLock();
            case 351:
                return new ReentrantLock();
            case 352:
                return new ReentrantLock();
            case 353:
                return new ReentrantLock();
            case 354:
                return new ReentrantLock();
            case 355:
                return new ReentrantLock();
            case 356:
                return new ReentrantLock();
            case 357:
                return new ReentrantLock();
            case 358:
                return new ReentrantLock();
            case 359:
                return new ReentrantLock();
            case 360:
                return new ReentrantLock();
            case 361:
                return new ReentrantLock();
            case 362:
                return new ReentrantLock();
            case 363:
                return new ReentrantLock();
            case 364:
                return new ReentrantLock();
            case 365:
                return new ReentrantLock();
            case 366:
                return new ReentrantLock();
            case 367:
                return new ReentrantLock();
            case 368:
                return new ReentrantLock();
            case 369:
                return new ReentrantLock();
            case 370:
                return new ReentrantLock();
            case 371:
                return new ReentrantLock();
            case 372:
                return new ReentrantLock();
            case 373:
                return new ReentrantLock();
            case 374:
                return new ReentrantLock();
            case 375:
                return new ReentrantLock();
            case 376:
                return new ReentrantLock();
            case 377:
                return new ReentrantLock();
            case 378:
                return new ReentrantLock();
            case 379:
                return new ReentrantLock();
            case 380:
                return new ReentrantLock();
            case 381:
                return new ReentrantLock();
            case 382:
                return new ReentrantLock();
            case 383:
                return new ReentrantLock();
            case 384:
                return new ReentrantLock();
            case 385:
                return new ReentrantLock();
            case 386:
                return new ReentrantLock();
            case 387:
                return new ReentrantLock();
            case 388:
                return new ReentrantLock();
            case 389:
                return new ReentrantLock();
            case 390:
                return new ReentrantLock();
            case 391:
                return new ReentrantLock();
            case 392:
                return new ReentrantLock();
            case 393:
                return new ReentrantLock();
            case 394:
                return new ReentrantLock();
            case 395:
                return new ReentrantLock();
            case 396:
                return new ReentrantLock();
            case 397:
                return new ReentrantLock();
            case 398:
                return new ReentrantLock();
            case 399:
                return new ReentrantLock();
            case 400:
                return new ReentrantLock();
            case 401:
                return new ReentrantLock();
            case 402:
                return new ReentrantLock();
            case 403:
                return new ReentrantLock();
            case 404:
                return new ReentrantLock();
            case 405:
                return new ReentrantLock();
            case 406:
                return new ReentrantLock();
            case 407:
                return new ReentrantLock();
            case 408:
                return new ReentrantLock();
            case 409:
                return new ReentrantLock();
            case 410:
                return new ReentrantLock();
            case 411:
                return new ReentrantLock();
            case 412:
                return new ReentrantLock();
            case 413:
                return new ReentrantLock();
            case 414:
                return new ReentrantLock();
            case 415:
                return new ReentrantLock();
            case 416:
                return new ReentrantLock();
            case 417:
                return new ReentrantLock();
            case 418:
                return new ReentrantLock();
            case 419:
                return new ReentrantLock();
            case 420:
                return new ReentrantLock();
            case 421:
                return new ReentrantLock();
            case 422:
                return new ReentrantLock();
            case 423:
                return new ReentrantLock();
            case 424:
                return new ReentrantLock();
            case 425:
                return new ReentrantLock();
            case 426:
                return new ReentrantLock();
            case 427:
                return new ReentrantLock();
            case 428:
                return new ReentrantLock();
            case 429:
                return new ReentrantLock();
            case 430:
                return new ReentrantLock();
            case 431:
                return new ReentrantLock();
            case 432:
                return new ReentrantLock();
            case 433:
                return new ReentrantLock();
            case 434:
                return new ReentrantLock();
            case 435:
                return new ReentrantLock();
            case 436:
                return new ReentrantLock();
            case 437:
                return new ReentrantLock();
            case 438:
                return new ReentrantLock();
            case 439:
                return new ReentrantLock();
            case 440:
                return new ReentrantLock();
            case 441:
                return new ReentrantLock();
            case 442:
                return new ReentrantLock();
            case 443:
                return new ReentrantLock();
            case 444:
                return new ReentrantLock();
            case 445:
                return new ReentrantLock();
            case 446:
                return new ReentrantLock();
            case 447:
                return new ReentrantLock();
            case 448:
                return new ReentrantLock();
            case 449:
                return new ReentrantLock();
            case 450:
                return new ReentrantLock();
            case 451:
                return new ReentrantLock();
            case 452:
                return new ReentrantLock();
            case 453:
                return new ReentrantLock();
            case 454:
                return new ReentrantLock();
            case 455:
                return new ReentrantLock();
            case 456:
                return new ReentrantLock();
            case 457:
                return new ReentrantLock();
            case 458:
                return new ReentrantLock();
            case 459:
                return new ReentrantLock();
            case 460:
                return new ReentrantLock();
            case 461:
                return new ReentrantLock();
            case 462:
                return new ReentrantLock();
            case 463:
                return new ReentrantLock();
            case 464:
                return new ReentrantLock();
            case 465:
                return new ReentrantLock();
            case 466:
                return new ReentrantLock();
            case 467:
                return new ReentrantLock();
            case 468:
                return new ReentrantLock();
            case 469:
                return new ReentrantLock();
            case 470:
                return new ReentrantLock();
            case 471:
                return new ReentrantLock();
            case 472:
                return new ReentrantLock();
            case 473:
                return new ReentrantLock();
            case 474:
                return new ReentrantLock();
            case 475:
                return new ReentrantLock();
            case 476:
                return new ReentrantLock();
            case 477:
                return new ReentrantLock();
            case 478:
                return new ReentrantLock();
            case 479:
                return new ReentrantLock();
            case 480:
                return new ReentrantLock();
            case 481:
                return new ReentrantLock();
            case 482:
                return new ReentrantLock();
            case 483:
                return new ReentrantLock();
            case 484:
                return new ReentrantLock();
            case 485:
                return new ReentrantLock();
            case 486:
                return new ReentrantLock();
            case 487:
                return new ReentrantLock();
            case 488:
                return new ReentrantLock();
            case 489:
                return new ReentrantLock();
            case 490:
                return new ReentrantLock();
            case 491:
                return new ReentrantLock();
            case 492:
                return new ReentrantLock();
            case 493:
                return new ReentrantLock();
            case 494:
                return new ReentrantLock();
            case 495:
                return new ReentrantLock();
            case 496:
                return new ReentrantLock();
            case 497:
                return new ReentrantLock();
            case 498:
                return new ReentrantLock();
            case 499:
                return new ReentrantLock();
            case 500:
                return new ReentrantLock();
            case 501:
                return new ReentrantLock();
            case 502:
                return new ReentrantLock();
            case 503:
                return new ReentrantLock();
            case 504:
                return new ReentrantLock();
            case 505:
                return new ReentrantLock();
            case 506:
                return new ReentrantLock();
            case 507:
                return new ReentrantLock();
            case 508:
                return new ReentrantLock();
            case 509:
                return new ReentrantLock();
            case 510:
                return new ReentrantLock();
            case 511:
                return new ReentrantLock();
            default:
                throw new IllegalArgumentException("sites 0 to 511, not " + site);
        }
    }
}
